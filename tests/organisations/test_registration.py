import pytest
from django.urls import reverse

from accounts.roles import Role, user_roles
from organisations.models import Membership, Organisation, OrganisationKind
from organisations.services import organisation_create
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Loch Labs Ltd",
    "kind": "company",
    "company_number": "SC123456",
    "region": "highlands",
    "website": "https://lochlabs.example",
    "employees": "8",
    "turnover": "420000",
    "description": "Sensors for lochs.",
}


def test_a_company_registers_and_its_creator_becomes_admin_and_applicant(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("organisations:create"), VALID)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.slug == "loch-labs-ltd"
    assert organisation.is_sme is True
    assert Membership.objects.get(user=user).role == Membership.Role.ADMIN
    assert Role.APPLICANT in user_roles(user)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the organisation name"),
        ("employees", "", "Enter the number of employees"),
        ("employees", "-3", "Ensure this value is greater than or equal to 0"),
        ("turnover", "lots", "Enter a number"),
        ("region", "", "Select where you are based"),
        ("kind", "public_body", "Select a valid choice"),
        ("website", "not a url", "Enter a valid URL"),
    ],
)
def test_bad_input_gets_a_specific_message_and_keeps_everything_typed(client, field, value, message):
    client.force_login(UserFactory())
    data = {**VALID, field: value}
    response = client.post(reverse("organisations:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Loch Labs Ltd"' in page or field == "name"
    assert "Sensors for lochs." in page
    assert not Organisation.objects.exists()


def test_only_programme_staff_can_create_a_public_body():
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="Public bodies are added by the CivTech team"):
        organisation_create(by=UserFactory(), name="Fake Council", kind=OrganisationKind.PUBLIC_BODY)
    body = organisation_create(
        by=staff_user(), name="Real Council", kind=OrganisationKind.PUBLIC_BODY, add_creator=False
    )
    assert body.kind == OrganisationKind.PUBLIC_BODY


def test_registration_needs_sign_in(client):
    response = client.get(reverse("organisations:create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_company_profile_keeps_address_and_sectors(client):
    from tests.factories import make_sector

    health, transport = make_sector("Health and social care"), make_sector("Transport")
    client.force_login(UserFactory())
    data = {**VALID, "address": "1 Harbour Road\nUllapool IV26 2XX", "sectors": [health.pk, transport.pk]}
    response = client.post(reverse("organisations:create"), data)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.address.startswith("1 Harbour Road")
    assert set(organisation.sectors.all()) == {health, transport}
    page = client.get(reverse("organisations:detail", args=[organisation.slug])).content.decode()
    assert "Ullapool" in page and "Health and social care, Transport" in page
    form_page = client.get(reverse("organisations:create")).content.decode()
    assert "(optional) (optional)" not in form_page
