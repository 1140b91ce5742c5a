import pytest
from django.urls import reverse

from tests.conftest import response_text
from tests.factories import OrganisationFactory, staff_user

pytestmark = pytest.mark.django_db


def test_staff_edit_an_organisation_profile_in_the_admin(client):
    from tests.factories import make_sector

    make_sector("Transport")
    organisation = OrganisationFactory(name="Loch Labs Ltd")
    client.force_login(staff_user())
    listing = client.get(reverse("wagtailsnippets_organisations_organisation:list"))
    assert "Loch Labs Ltd" in listing.content.decode()
    edit = client.get(reverse("wagtailsnippets_organisations_organisation:edit", args=[organisation.pk]))
    assert edit.status_code == 200
    html = edit.content.decode()
    assert 'name="address"' in html and 'name="sectors"' in html
    export = client.get(reverse("wagtailsnippets_organisations_organisation:list"), {"export": "csv"})
    body = response_text(export)
    assert "Loch Labs Ltd" in body
