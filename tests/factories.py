import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_grant_role
from organisations.models import Membership, Organisation, OrganisationKind, Region

PASSWORD = "correct-horse-battery"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary email unless `verified=False`."""
        self.save()
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=extracted is not False)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            user_grant_role(user=self, role=extracted)

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(self, TOTP_SECRET)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n} Ltd")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.COMPANY
    region = Region.GLASGOW
    employees = 12
    turnover = 500_000


class PublicBodyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Public Body {n}")
    slug = factory.Sequence(lambda n: f"public-body-{n}")
    kind = OrganisationKind.PUBLIC_BODY
    employees = None
    turnover = None


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


def staff_user(**kwargs) -> User:
    return UserFactory(role=Role.PROGRAMME_STAFF, mfa=True, **kwargs)


def totp_now(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app would show right now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, user, password: str = PASSWORD) -> None:
    """Sign in through allauth's real pages (password, then code when MFA is on), unlike force_login."""
    from django.urls import reverse

    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    if response.status_code == 302 and response.url == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert "_auth_user_id" in client.session, "sign-in failed"
