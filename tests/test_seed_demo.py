from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from accounts.roles import user_roles
from organisations.demo import COMPANIES, PUBLIC_BODIES
from organisations.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_is_idempotent_and_prints_a_sign_in_per_role():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first  # running it twice changes nothing

    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for demo in DEMO_USERS:
        assert demo.email in printed
        assert demo.role.label in printed
        user = User.objects.get(email=demo.email)
        assert user.check_password(DEMO_PASSWORD)
        assert demo.role in user_roles(user)


def test_seed_demo_has_real_scottish_public_bodies_and_companies_of_several_sizes():
    call_command("seed_demo", stdout=StringIO())
    names = set(Organisation.objects.public_bodies().values_list("name", flat=True))
    assert {"Transport Scotland", "Disclosure Scotland", "NHS National Services Scotland"} <= names
    assert len(names) == len(PUBLIC_BODIES)
    suppliers = Organisation.objects.suppliers()
    assert suppliers.count() == len(COMPANIES)
    assert {o.is_sme for o in suppliers} == {True, False}
    assert suppliers.filter(kind=OrganisationKind.INDIVIDUAL).exists()


def test_scale_multiplies_the_volume():
    call_command("seed_demo", "--scale", "3", "--quiet-credentials", stdout=StringIO())
    assert Organisation.objects.suppliers().count() == 3 * len(COMPANIES)
    assert Organisation.objects.public_bodies().count() == len(PUBLIC_BODIES)


def test_seed_demo_prints_progress():
    out = StringIO()
    call_command("seed_demo", "--scale", "2", "--quiet-credentials", stdout=out)
    assert "organisations: 1/2 batches" in out.getvalue()
    assert "organisations: 2/2 batches" in out.getvalue()


def test_seed_demo_publishes_the_pages_the_footer_links_to(client):
    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())
    home = client.get("/").content.decode()
    assert "How CivTech works" in home
    for path, title in [("/about/", "About CivTech"), ("/accessibility/", "Accessibility statement")]:
        assert f'href="{path}"' in home
        assert title in client.get(path).content.decode()
