import json

import pytest
import wagtail_factories
from wagtail.models import Page, Site

from cms.models import HomePage, SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home() -> HomePage:
    return HomePage.objects.get()  # created by the cms migration, as on a fresh install


def test_home_page_is_the_site_root_after_migrate(client, home):
    assert Site.objects.get(is_default_site=True).root_page.specific == home
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Solve public sector challenges with innovation" in page
    assert page.count("<h1") == 1


def test_standard_page_renders_every_block_with_its_own_template(client, home):
    image = wagtail_factories.ImageFactory(title="Bridge")
    document = wagtail_factories.DocumentFactory(title="Guidance for applicants")
    body = [
        {"type": "heading", "value": "How it works"},
        {"type": "paragraph", "value": "<p>Public bodies publish <b>challenges</b>.</p>"},
        {"type": "image", "value": {"image": image.pk, "alt_text": "The Forth bridges at dusk", "caption": "Forth"}},
        {"type": "callout", "value": {"title": "Deadline", "text": "<p>Applications close at noon.</p>"}},
        {"type": "document", "value": {"document": document.pk, "title": ""}},
        {"type": "button", "value": {"label": "Contact us", "page": None, "url": "https://www.gov.scot/"}},
    ]
    page = home.add_child(
        instance=StandardPage(title="About CivTech", slug="about", summary="What we do.", body=json.dumps(body))
    )
    page.save_revision().publish()

    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    templates = {t.name for t in response.templates}
    for block in ["heading", "paragraph", "image", "callout", "document", "button"]:
        assert f"cms/blocks/{block}.html" in templates, block
    assert "How it works" in html
    assert "<b>challenges</b>" in html
    assert 'alt="The Forth bridges at dusk"' in html
    assert "Applications close at noon." in html
    assert "Guidance for applicants" in html
    assert 'href="https://www.gov.scot/"' in html


def test_footer_shows_links_and_contact_from_site_settings(client, home):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "hello@civtech.example"
    settings.footer_links = json.dumps(
        [{"type": "link", "value": {"label": "Accessibility", "page": None, "url": "https://example.com/a11y"}}]
    )
    settings.save()
    html = client.get("/").content.decode()
    assert "hello@civtech.example" in html
    assert 'href="https://example.com/a11y"' in html
    assert ">Accessibility<" in html


def test_a_link_block_needs_a_page_or_a_url():
    from wagtail.blocks import StructBlockValidationError

    from civtech.blocks import LinkBlock

    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "Nowhere", "page": None, "url": ""}))


def test_unpublished_page_is_not_public(client, home):
    page = home.add_child(instance=StandardPage(title="Draft", slug="draft", body="[]", live=False))
    assert Page.objects.get(pk=page.pk).live is False
    assert client.get("/draft/").status_code == 404
