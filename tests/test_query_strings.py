"""civtech/querystring.py, and the 500s tests/hostile/test_query_sweep.py found in Wagtail's admin views.

Each test here was a 500 before: a NUL character in any query string (PostgreSQL refuses it in text), ids that
Wagtail's link choosers, "chosen" views and bulk actions used unchecked, an admin API offset beyond the database's
integers, document and image searches combined with filters Wagtail's search cannot apply, and a sponsor's search
in the document and image choosers (their own-files filter went through a join the search index cannot follow).
On the way it found the page chooser's "chosen" view describing any page to a sponsor, and the external-link
chooser open to anyone.
"""

import pytest
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from civtech.querystring import MAX_ID, has_nul, query_id
from tests.factories import PublicBodyFactory, make_challenge, make_sponsor_member, staff_user

pytestmark = pytest.mark.django_db


# --- NUL ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    ["/challenges/?q=%00", "/challenges/?q=abc%00def", "/search/?q=%00", "/news/?tag=%00", "/lessons/?challenge=%00",
     "/api/v1/challenges/?sponsor=%00", "/open-data/challenges.csv?x=%00", "/?%00=1", "/challenges/?q=\x00"],
)  # fmt: skip
def test_a_null_character_in_any_query_string_is_refused_with_a_page_that_says_so(client, url):
    make_challenge()
    response = client.get(url)
    assert response.status_code == 400
    assert "null character" in response.content.decode()
    assert response["Content-Security-Policy"]  # refused inside the site's headers, like any page


def test_a_null_character_is_refused_inside_the_admin_too(client):
    """Wagtail's own page search and admin API reached PostgreSQL with it."""
    client.force_login(staff_user())
    for url in (
        "/admin/pages/search/?q=%00",
        "/admin/api/main/pages/?search=%00",
        "/admin/snippets/challenges/round/?q=%00",
    ):
        assert client.get(url).status_code == 400, url


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_only_a_real_null_character_counts(value):
    from urllib.parse import quote

    assert has_nul(quote(value)) == ("\x00" in value)
    assert not has_nul(quote(quote(value)))  # "%2500": the text "%00"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(["%", "0", "2", "5", "a", "A", "\x00", "é", "+", "="]), max_size=12))
def test_looking_for_a_nul_is_the_same_as_decoding_the_query_string(query_string):
    """has_nul looks for "%00" rather than decoding: the same answer as decoding, on any query string (escapes
    near-miss, doubled, broken and raw included)."""
    from urllib.parse import unquote_to_bytes

    assert has_nul(query_string) == (b"\x00" in unquote_to_bytes(query_string))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), st.integers(-(10**30), 10**30).map(str)))
def test_an_id_is_a_small_whole_number_in_ascii_digits_or_nothing(value):
    found = query_id(QueryDict(mutable=True) | {"id": value}, "id")
    assert found is None or (1 <= found <= MAX_ID and str(found) == value.lstrip("0"))


@pytest.mark.parametrize("value", ["²", "١٢٣", "１２３", " 1", "1.5", "0", "-1", "2147483648", "1e3", "0x10", ""])
def test_what_is_not_an_id(value):
    assert query_id(QueryDict(mutable=True) | {"id": value}, "id") is None


# --- Wagtail's admin views ---------------------------------------------------------------------------------------
@pytest.fixture
def sponsor():
    body = PublicBodyFactory()
    make_challenge(sponsor=body)
    return make_sponsor_member(body, mfa=True)


@pytest.mark.parametrize("who", ["sponsor", "staff"])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/choose-external-link/?parent_page_id=-1",
        "/admin/choose-email-link/?parent_page_id=1.5",
        "/admin/choose-phone-link/?parent_page_id=%C2%B2",
        "/admin/choose-anchor-link/?parent_page_id=abc",
        "/admin/choose-page/?target_pages[]=1.5&target_pages[]=x",
        "/admin/choose-page/chosen-multiple/?id=x&id=",
        "/admin/choose-page/chosen-multiple/?id=1",  # the root page, which has no parent
        "/admin/documents/chooser/chosen-multiple/?id=1e309",
        "/admin/images/chooser/chosen-multiple/?id=-1",
        "/admin/api/main/pages/?offset=99999999999999999999999999999",
        "/admin/api/main/pages/?limit=9223372036854775808",
        "/admin/api/main/pages/find/?id=1.5",
        "/admin/api/main/images/find/?id=1&id=+++",
        "/admin/api/main/documents/find/?id=abc",
        "/admin/documents/?q=plan&usage_count_min=1",
        "/admin/images/?q=logo&usage_count_max=1",
        "/admin/images/chooser/?q=logo&tag=health",
        "/admin/documents/chooser/?q=plan",
        "/admin/images/chooser/?q=logo",
    ],
)
def test_the_admin_answers_ids_and_filters_it_cannot_use(client, request, who, url):
    user = request.getfixturevalue("sponsor") if who == "sponsor" else staff_user()
    Document.objects.create(title="Plan", file=ContentFile(b"%PDF-1.4\n", name="plan.pdf"), uploaded_by_user=user)
    Image.objects.create(title="Logo", file=get_test_image_file(), uploaded_by_user=user)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code < 500


def test_a_bulk_action_ignores_ids_that_are_not_ids(client):
    client.force_login(staff_user())
    page = make_challenge()
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    assert client.get(url, {"id": ["x", "1.5", str(page.pk)]}).status_code == 200


def test_a_sponsor_finds_their_own_files_in_the_choosers_and_no_one_elses(client, sponsor):
    mine = Document.objects.create(title="Plan mine", file=ContentFile(b"%PDF", name="a.pdf"), uploaded_by_user=sponsor)
    theirs = Document.objects.create(title="Plan theirs", file=ContentFile(b"%PDF", name="b.pdf"))
    client.force_login(sponsor)
    html = client.get("/admin/documents/chooser/", {"q": "plan"}).content.decode()
    assert mine.title in html and theirs.title not in html


def test_the_page_choosers_chosen_view_describes_only_pages_the_chooser_offers(client):
    """It described any page by id: another sponsor's draft challenge's title and edit link included."""
    body, other = PublicBodyFactory(), PublicBodyFactory()
    own = make_challenge(sponsor=body, title="Our own draft", live=False)
    theirs = make_challenge(sponsor=other, title="Their secret draft", live=False)
    client.force_login(make_sponsor_member(body, mfa=True))
    html = client.get("/admin/choose-page/chosen-multiple/", {"id": [own.pk, theirs.pk]}).content.decode()
    assert "Our own draft" in html and "Their secret draft" not in html
    client.force_login(staff_user())
    assert "Their secret draft" in client.get("/admin/choose-page/chosen-multiple/", {"id": theirs.pk}).content.decode()


def test_the_external_link_chooser_is_inside_the_admin(client):
    """Routed in front of Wagtail's own view, it had lost the admin's sign-in check: anyone could open it."""
    response = client.get("/admin/choose-external-link/")
    assert response.status_code == 302 and "login" in response["Location"]
