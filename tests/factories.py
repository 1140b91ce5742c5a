import time
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_grant_role
from formbuilder.default import DEFAULT_SPEC
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


# --- Challenges ----------------------------------------------------------------------------------
def make_round(*, name: str | None = None, opened_days_ago: float = 7, **overrides):
    """A round whose call opened `opened_days_ago` days ago (negative: opens in the future).

    Stages follow a realistic spacing: questions close after 3 weeks, the call after 4, and so on.
    """
    from datetime import timedelta

    from django.utils import timezone

    from challenges.services import round_create

    n = next(_round_numbers)
    start = timezone.now() - timedelta(days=opened_days_ago)
    week = timedelta(weeks=1)
    fields = {
        "name": name or f"CivTech {n}",
        "slug": f"civtech-{n}",
        "code": f"CT{n}",
        "call_opens": start,
        "questions_close": start + 3 * week,
        "call_closes": start + 4 * week,
        "shortlist_by": start + 5 * week,
        "interviews_start": start + 6 * week,
        "interviews_end": start + 7 * week,
        "exploration_start": start + 8 * week,
        "exploration_end": start + 11 * week,
        "pitch_at": start + 11 * week,
        "accelerator_start": start + 13 * week,
        "accelerator_end": start + 28 * week,
        "demo_day": start + 28 * week,
        **overrides,
    }
    return round_create(by=None, **fields)


def _numbers():
    n = 100
    while True:
        n += 1
        yield n


_round_numbers = _numbers()


def make_sector(name: str):
    from django.utils.text import slugify

    from challenges.models import Sector

    return Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def make_challenge(
    *, sponsor=None, round=None, title: str = "Reduce missed hospital appointments", sectors=(), live=True, **fields
):
    """A challenge in its sponsor's space with one revision: published unless live=False (then a draft).

    It ends as Wagtail's add-then-publish leaves a page (live, its revision the latest and live one, first and last
    published now), but saved once: Wagtail's way saves the page three times (added, revised, published), each
    save updating the search and reference indexes, and challenges made here took half the time of the
    applications and challenges tests. Publishing itself (its signals, log entries, workflows) is tested through
    Wagtail's own publish and the approval workflow, not through this factory."""
    import json

    from django.utils import timezone
    from wagtail.models import Revision

    from challenges.models import ChallengePage
    from challenges.services import sponsor_space_ensure

    sponsor = sponsor or PublicBodyFactory()
    round = round or make_round()
    space = sponsor_space_ensure(organisation=sponsor)
    page = ChallengePage(
        title=title,
        round=round,
        summary=fields.pop("summary", f"{title}: a problem the sponsor needs solved."),
        problem_statement=json.dumps([{"type": "paragraph", "value": "<p>The problem in detail.</p>"}]),
        users="<p>Patients and clinic staff.</p>",
        success="<p>Fewer missed appointments.</p>",
        sponsor_provides="<p>Anonymised data and access to staff.</p>",
        live=live,
        has_unpublished_changes=not live,
        **fields,
    )
    if live:
        now = timezone.now()
        page.first_published_at = page.first_published_at or now
        page.last_published_at = page.last_published_at or now
    page.sectors.set(sectors)  # held by modelcluster until the page is saved, then saved with it
    space.add_child(instance=page)
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        content=page.serializable_data(),
        object_str=str(page),
    )
    ChallengePage.objects.filter(pk=page.pk).update(latest_revision=revision, live_revision=revision if live else None)
    if live:  # as Wagtail's publish does (page_published): cached public pages, rows and filter choices are superseded
        from civtech.cache import public_content_changed

        public_content_changed()
    return ChallengePage.objects.get(pk=page.pk)


# --- Applications --------------------------------------------------------------------------------
GOOD_ANSWERS = {
    "idea": "A booking assistant that texts patients and rebooks in one reply.",
    "innovation": "Two-way SMS linked to live clinic capacity.",
    "commercial": "Every health board and GP practice could use it.",
    "team": "Three engineers and a clinician with NHS product experience.",
    "commitment": "We can staff every stage on the round's dates.",
    "equality_sustainability": "Plain language, text only, no travel for users.",
}
ALL_DECLARED = {"declare_eligible": True, "declare_no_conflict": True, "declare_terms": True}
# The default form's questions and declarations, as (key, label, word limit, help) and (key, label).
DEFAULT_SECTIONS = [(q.key, q.label, q.word_limit, q.help_text) for q in DEFAULT_SPEC.questions()]
DEFAULT_DECLARATIONS = [(d.key, d.label) for d in DEFAULT_SPEC.declarations]


def make_applicant(organisation=None, **kwargs):
    """A member (admin) of a company, with the applicant role."""
    from organisations.services import membership_add

    organisation = organisation or OrganisationFactory()
    user = UserFactory(**kwargs)
    membership_add(organisation=organisation, user=user, role="admin", by=None)
    return user


def make_application(*, challenge=None, applicant=None, answers=GOOD_ANSWERS):
    from applications.services import application_save, application_start

    challenge = challenge or make_challenge()
    applicant = applicant or make_applicant()
    organisation = applicant.memberships.get().organisation
    application = application_start(challenge=challenge, organisation=organisation, by=applicant)
    return application_save(application=application, by=applicant, answers=dict(answers))


# --- Sprints -------------------------------------------------------------------------------------
def make_selected_application(*, challenge=None, applicant=None):
    """An application already selected for exploration (the decisions themselves are tested in applications)."""
    from applications.models import Application

    challenge = challenge or make_challenge(round=make_round(opened_days_ago=60))
    applicant = applicant or make_applicant()
    organisation = applicant.memberships.get().organisation
    return Application.objects.create(
        challenge=challenge,
        organisation=organisation,
        created_by=applicant,
        status=Application.Status.SELECTED,
        reference=f"{challenge.round.code}-T-{organisation.pk:04d}",
        form_version=challenge.round.form().current_version(),
        answers=dict(GOOD_ANSWERS),
    )


def make_sponsor_member(organisation, **kwargs):
    """A member of a public body (the sponsor role comes with the membership)."""
    from organisations.services import membership_add

    user = UserFactory(**kwargs)
    membership_add(organisation=organisation, user=user, role="member", by=None)
    return user


def make_engagement(*, stage: str = "exploration", challenge=None, applicant=None, by=None):
    """An active engagement; the round's exploration stage is running now unless the challenge says otherwise.

    An accelerator engagement goes through a real pitch and decision, as it would in the service."""
    from sprints.services import engagement_create, pitch_decide, pitch_submit

    by = by or staff_user()
    application = make_selected_application(challenge=challenge, applicant=applicant)
    engagement = engagement_create(application=application, stage="exploration", by=by)
    if stage == "exploration":
        return engagement
    from django.core.files.uploadedfile import SimpleUploadedFile

    deck = SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    pitch_submit(engagement=engagement, by=application.created_by, summary="Our plan.", deck=deck)
    return pitch_decide(challenge=application.challenge, chosen=[engagement], feedback={}, by=by)[0]


def add_pitch_criteria(round_, names=("Value to the sponsor", "Team and plan")):
    from challenges.models import Criterion

    return [
        Criterion.objects.create(round=round_, stage=Criterion.Stage.PITCH, name=name, weight=50, sort_order=i)
        for i, name in enumerate(names)
    ]


# --- Impact returns and benefits ------------------------------------------------------------------
def make_impact_return(*, engagement=None, kind: str = "baseline", period_end=None, due_on=None, **fields):
    """A return row for `engagement` (a new exploration one by default) whose period ended last week and which
    is due in three weeks, unless told otherwise. The schedule itself is tested in tests/impact."""
    from datetime import timedelta

    from django.utils import timezone

    from impact.models import ImpactReturn

    engagement = engagement or make_engagement()
    period_end = period_end or timezone.localdate() - timedelta(days=7)
    return ImpactReturn.objects.create(
        engagement=engagement,
        organisation_id=engagement.application.organisation_id,
        kind=kind,
        period_start=period_end - timedelta(days=364),
        period_end=period_end,
        due_on=due_on or period_end + timedelta(days=30),
        **fields,
    )


GOOD_FIGURES = {
    "headcount": "12", "fte": "10.5", "jobs_created": "3", "jobs_safeguarded": "1", "turnover": "250000",
    "investment_equity": "100000", "investment_grant": "0", "investment_debt": "0", "contracts_public": "5000",
    "contracts_private": "0", "exports": "0", "still_trading": "yes",
}  # fmt: skip
# The same figures as the return form reads them: what the services take.
GOOD_RETURN = {
    "headcount": 12, "fte": Decimal("10.5"), "jobs_created": 3, "jobs_safeguarded": 1, "turnover": Decimal(250000),
    "investment_equity": Decimal(100000), "investment_grant": Decimal(0), "investment_debt": Decimal(0),
    "contracts_public": Decimal(5000), "contracts_private": Decimal(0), "exports": Decimal(0), "still_trading": True,
}  # fmt: skip


# --- Demo Day and sign-in helpers (issue #5) --------------------------------------------------------
def totp_fresh(secret: str = TOTP_SECRET, margin: float = 3.0) -> str:
    """A code with at least `margin` seconds of its 30-second window left: near a boundary, wait for the
    next window, so a slow browser cannot submit a code that has just expired (allauth allows no drift)."""
    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.05)
    return totp_now(secret)


def make_demo_day(*, round=None, starts_in_days: float = 30, capacity: int = 100, live: bool = True, **fields):
    """A Demo Day page for `round` under /events/ (created if missing), published unless live=False."""
    from datetime import timedelta

    from django.utils import timezone

    from cms.models import DemoDayPage, EventIndexPage, HomePage

    round = round or make_round(opened_days_ago=200)
    index = EventIndexPage.objects.first()
    if index is None:
        index = HomePage.objects.get().add_child(instance=EventIndexPage(title="Events", slug="events"))
        index.save_revision().publish()
    starts_at = timezone.now() + timedelta(days=starts_in_days)
    page = DemoDayPage(
        title=fields.pop("title", f"{round.name} Demo Day"),
        slug=fields.pop("slug", f"{round.slug}-demo-day"),
        round=round,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=4),
        venue=fields.pop("venue", "Dynamic Earth, Edinburgh"),
        online_details=fields.pop("online_details", "Streamed live for registered guests."),
        capacity=capacity,
        live=live,
        **fields,
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return DemoDayPage.objects.get(pk=page.pk)
