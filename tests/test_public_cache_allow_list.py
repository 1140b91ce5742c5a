"""The anonymous page cache is cleared by what changes a public page, and by nothing else (issue #22, item 3).

`civtech.cache.PUBLIC_CONTENT` is an allow-list of the models and fields public pages read. Each case below does one
thing through the service a person would use and checks whether the cache version moved. Publishing superseding the
cache within a second, and answers becoming visible at once, are proved end to end in
tests/reliability/test_public_cache.py."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import timezone

from accounts.roles import Role
from challenges import services as challenge_services
from challenges.models import Clarification, Sector
from civtech.cache import PUBLIC_CONTENT, VERSION_KEY, current_version
from cms.services import demo_day_register
from impact.models import Benefit, ImpactReturn
from ledger.models import Contract, Payment
from ledger.services import payment_mark_due, payment_mark_paid, payment_schedule, variation_approve
from sprints.models import Engagement, Lesson
from sprints.services.collaboration import message_post
from sprints.services.engagements import contract_for_engagement
from tests.factories import UserFactory, make_challenge, make_demo_day, make_engagement, staff_user

pytestmark = pytest.mark.django_db


def bumped(action) -> bool:
    """Run `action` and say whether it superseded every cached public page."""
    before = current_version()
    action()
    return cache.get(VERSION_KEY) != before


@pytest.fixture
def world():
    staff = staff_user()
    engagement = make_engagement(by=staff)
    contract = contract_for_engagement(engagement=engagement, by=staff)
    return engagement, contract, staff


# --- the allow-list itself -------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", sorted(PUBLIC_CONTENT))
def test_every_allow_listed_model_field_and_relation_exists(label):
    model = apps.get_model(label)
    spec = PUBLIC_CONTENT[label]
    columns = {f.attname for f in model._meta.concrete_fields}
    assert set(spec.fields) <= columns, set(spec.fields) - columns
    assert set(spec.relations) <= {f.name for f in model._meta.many_to_many}


# Which rows are public, in the models' own terms: a row with the first values is shown, with the second it is not.
SHOWN = [
    ("ledger.payment", {"status": Payment.Status.PAID}, {"status": Payment.Status.DUE}),
    ("ledger.payment", {"status": Payment.Status.PAID}, {"status": Payment.Status.PLANNED}),
    ("impact.benefit", {"status": Benefit.Status.VERIFIED}, {"status": Benefit.Status.SUBMITTED}),
    ("impact.benefit", {"status": Benefit.Status.VERIFIED}, {"status": Benefit.Status.REJECTED}),
    ("challenges.clarification", {"status": Clarification.Status.PUBLISHED}, {"status": Clarification.Status.AWAITING}),
    ("challenges.clarification", {"status": Clarification.Status.PUBLISHED}, {"status": Clarification.Status.DECLINED}),
    ("sprints.lesson", {"status": Lesson.Status.PUBLISHED}, {"status": Lesson.Status.SUBMITTED}),
    ("impact.impactreturn", {"verified_at": timezone.now()}, {"verified_at": None}),
    (
        "ledger.contract",
        {"kind": Contract.Kind.EXPLORATION, "verified_at": None},
        {"kind": Contract.Kind.FOLLOW_ON, "verified_at": None},
    ),
    (
        "ledger.contract",
        {"kind": Contract.Kind.ACCELERATOR, "verified_at": None},
        {"kind": Contract.Kind.PRIVATE, "verified_at": None},
    ),
    (
        "ledger.contract",
        {"kind": Contract.Kind.REUSE, "verified_at": timezone.now()},
        {"kind": Contract.Kind.REUSE, "verified_at": None},
    ),
]


@pytest.mark.parametrize(("label", "public", "private"), SHOWN)
def test_the_rows_counted_as_public_match_the_models_choices(label, public, private):
    shown = PUBLIC_CONTENT[label].shown
    assert shown(public) is True
    assert shown(private) is False


def test_models_public_pages_never_read_are_not_on_the_list():
    for label in ("sprints.message", "sprints.risk", "sprints.meeting", "applications.application",
                  "wagtailcore.revision", "wagtailcore.modellogentry", "wagtailimages.rendition",
                  "challenges.challengepage", "notifications.outboundemail", "accounts.user"):  # fmt: skip
        assert label not in PUBLIC_CONTENT, label


# --- private writes leave the cache -----------------------------------------------------------------------------


def test_a_private_message_leaves_the_cache(world):
    engagement, _, _ = world
    member = engagement.application.created_by

    assert not bumped(lambda: message_post(engagement=engagement, by=member, body="Can we meet on Tuesday?"))


def test_a_payment_planned_or_falling_due_leaves_the_cache(world):
    _, contract, staff = world
    planned = contract.payments.get()
    # A variation changes the public prototype funding figure; the tranche that spends it is only planned.
    assert bumped(lambda: variation_approve(contract=contract, amount=Decimal(1000), reason="A second site.", by=staff))

    assert not bumped(
        lambda: payment_schedule(
            contract=contract, description="Extra", amount=Decimal(1000), due_on=timezone.localdate(), by=staff
        )
    )
    assert not bumped(lambda: payment_mark_due(payment=planned, by=staff))


def test_a_payment_made_clears_the_cache(world):
    _, contract, staff = world
    tranche = contract.payments.get()
    payment_mark_due(payment=tranche, by=staff)

    assert bumped(lambda: payment_mark_paid(payment=tranche, paid_on=contract.starts_on, by=staff))


def test_a_draft_save_of_a_live_page_leaves_the_cache_and_its_publish_clears_it(world):
    engagement, _, _ = world
    page = engagement.application.challenge.specific
    page.title = "A retitled draft"

    assert not bumped(page.save_revision)
    assert bumped(lambda: page.get_latest_revision().publish())


def test_the_private_side_of_an_engagement_leaves_the_cache_and_its_public_side_clears_it(world):
    engagement, _, _ = world
    engagement.rag, engagement.rag_note = Engagement.Rag.AMBER, "The data share is late."

    assert not bumped(engagement.save)  # a whole-row save: only the RAG columns differ

    engagement.outcome = Engagement.Outcome.FOLLOW_ON
    assert bumped(lambda: engagement.save(update_fields=["outcome"]))


def test_an_organisations_private_numbers_leave_the_cache_and_its_public_profile_clears_it(world):
    organisation = world[0].application.organisation
    organisation.turnover, organisation.employees, organisation.address = 250_000, 9, "1 Leith Walk"

    assert not bumped(organisation.save)

    organisation.description = "We build booking tools for clinics."
    assert bumped(organisation.save)
    assert bumped(lambda: organisation.sectors.add(Sector.objects.create(name="Health", slug="health")))


def test_a_question_asked_leaves_the_cache_and_its_answer_clears_it():
    challenge = make_challenge(title="Fewer missed bin collections")  # its call is open
    asker = UserFactory(role=Role.APPLICANT)
    question = {}

    def ask():
        question["q"] = challenge_services.clarification_ask(challenge=challenge, by=asker, question="Is Wi-Fi there?")

    assert not bumped(ask)
    assert bumped(
        lambda: challenge_services.clarification_answer(clarification=question["q"], by=staff_user(), answer="Yes.")
    )


def test_a_rounds_dates_clear_the_cache(world):
    round_ = world[0].application.challenge.round
    round_.call_closes = round_.call_closes + timedelta(days=1)

    assert bumped(round_.save)


def test_a_demo_day_registration_clears_the_cache_for_its_places_left():
    event = make_demo_day()

    assert bumped(
        lambda: demo_day_register(
            event=event, by=None, name="Ailsa Reid", email="ailsa@example.org", organisation="Fife Council"
        )
    )


def test_a_verified_return_clears_the_cache_and_an_unverified_change_does_not(world):
    engagement, _, staff = world
    impact_return = ImpactReturn.objects.create(
        engagement=engagement,
        organisation=engagement.application.organisation,
        kind=ImpactReturn.Kind.PERIODIC,
        period_start=timezone.localdate() - timedelta(days=180),
        period_end=timezone.localdate(),
        due_on=timezone.localdate(),
    )
    impact_return.jobs_created = 3

    assert not bumped(impact_return.save)  # not yet verified: no public figure reads it

    impact_return.verified_at, impact_return.verified_by = timezone.now(), staff
    assert bumped(impact_return.save)


def test_deleting_a_draft_page_leaves_the_cache_and_deleting_a_live_one_clears_it():
    draft = make_challenge(title="An unpublished idea", live=False)
    live = make_challenge(title="A published challenge")

    assert not bumped(draft.delete)
    assert bumped(live.delete)
