"""A programme with one challenge at each stage, built through the services, and API clients."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import F
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from applications.models import Application
from applications.services import application_submit
from challenges.models import Round, RoundStage
from challenges.services import clarification_answer, clarification_ask
from ledger.models import Contract
from ledger.services import contract_record_follow_on, contract_verify, payment_mark_due, payment_mark_paid
from sprints.services.deliverables import milestone_plan
from sprints.services.outcomes import outcome_record
from tests.conftest import built_for_module
from tests.factories import (
    ALL_DECLARED,
    PublicBodyFactory,
    add_pitch_criteria,
    make_applicant,
    make_application,
    make_challenge,
    make_engagement,
    make_round,
    make_sponsor_member,
    staff_user,
)

PRIVATE_BUYER = "Confidential Retail Buyer plc"
PRIVATE_VALUE = Decimal("987654.32")


def shift_round(round_: Round, days: float) -> Round:
    """Move every date of a round `days` into the past (test set-up: the call was open when people applied)."""
    delta = timedelta(days=days)
    Round.objects.filter(pk=round_.pk).update(**{name: getattr(round_, name) - delta for name in Round.SEQUENCE})
    RoundStage.objects.filter(round=round_).update(
        starts=F("starts") - delta, ends=F("ends") - delta, questions_close=F("questions_close") - delta
    )
    round_.refresh_from_db()
    return round_


def submitted(challenge, applicant=None) -> Application:
    application = make_application(challenge=challenge, applicant=applicant)
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    return Application.objects.get(pk=application.pk)


def make_accelerator(challenge, staff):
    """An accelerator team with two milestones (tranches)."""
    engagement = make_engagement(stage="accelerator", challenge=challenge, by=staff)
    today = timezone.localdate()
    milestone_plan(engagement=engagement, by=staff, title="Alpha", due_on=today, tranche_amount=Decimal("100000"))
    milestone_plan(engagement=engagement, by=staff, title="Beta", due_on=today + timedelta(days=60),
                   tranche_amount=Decimal("150000"))  # fmt: skip
    return engagement


@pytest.fixture(scope="module")
def programme(django_db_setup, django_db_blocker):
    """One challenge per stage, plus the private things that must never be published: built once per module (about
    3 s through the services), each test reading it in a savepoint (tests/conftest.py: built_for_module)."""
    with built_for_module(django_db_blocker, build_programme) as built:
        yield built


def build_programme() -> SimpleNamespace:
    staff = staff_user()
    body = PublicBodyFactory(name="NHS Example Board", website="https://nhs.example")

    # Open call: a submitted application and a question answered; another question unanswered; a draft challenge.
    open_round = make_round(opened_days_ago=7)
    open_call = make_challenge(sponsor=body, round=open_round, title="Open call challenge")
    applicant = make_applicant()
    submitted(open_call, applicant)
    answered = clarification_ask(challenge=open_call, by=applicant, question="Can we use open source?")
    answerer = make_sponsor_member(body, mfa=True)
    clarification_answer(clarification=answered, by=answerer, answer="Yes, please do.")
    clarification_ask(challenge=open_call, by=applicant, question="An unanswered question about our secret plan?")
    draft = make_challenge(sponsor=body, round=open_round, title="Draft challenge never published", live=False)

    # Evaluated: the call has closed with three tenders (one will be unsuccessful), no awards yet.
    evaluated = make_challenge(sponsor=body, round=make_round(opened_days_ago=7), title="Evaluated challenge")
    losers = [submitted(evaluated) for _ in range(3)]
    shift_round(evaluated.round, 30)

    # Exploration: two teams on exploration contracts; the first has been paid.
    exploration = make_challenge(sponsor=body, round=make_round(opened_days_ago=60), title="Exploration challenge")
    explorers = [make_engagement(challenge=exploration, by=staff) for _ in range(2)]
    first_payment = explorers[0].contract.payments.get()
    payment_mark_paid(payment=first_payment, paid_on=timezone.localdate(), by=staff)

    # Accelerator: one team with milestones, nothing paid yet.
    accel_round = make_round(opened_days_ago=100)
    add_pitch_criteria(accel_round)
    accelerator = make_challenge(sponsor=body, round=accel_round, title="Accelerator challenge")
    accelerating = make_accelerator(accelerator, staff)

    # Completed: a tranche paid, the outcome recorded (a follow-on, verified), a private contract (verified) and an
    # unverified reuse contract.
    done_round = make_round(opened_days_ago=100)
    add_pitch_criteria(done_round)
    completed = make_challenge(sponsor=body, round=done_round, title="Completed challenge")
    finished = make_accelerator(completed, staff)
    tranche = finished.contract.payments.order_by("number").first()
    payment_mark_due(payment=tranche, by=staff)
    payment_mark_paid(payment=tranche, paid_on=timezone.localdate(), by=staff)
    outcome_record(engagement=finished, by=staff, outcome="follow_on", value=Decimal("250000"))
    follow_on = Contract.objects.get(kind=Contract.Kind.FOLLOW_ON, challenge=completed)
    contract_verify(contract=follow_on, by=staff)
    today = timezone.localdate()
    private = contract_record_follow_on(
        challenge=completed, supplier=finished.organisation, kind="private", title="Retail licence",
        value=PRIVATE_VALUE, starts_on=today, ends_on=today + timedelta(days=365), awarded_on=today,
        evidence="Letter from the buyer.", by=staff, buyer_name=PRIVATE_BUYER,
    )  # fmt: skip
    contract_verify(contract=private, by=staff)
    unverified = contract_record_follow_on(
        challenge=completed, supplier=finished.organisation, kind="reuse", title="Unverified reuse",
        value=Decimal("4321.00"), starts_on=today, ends_on=today + timedelta(days=30), awarded_on=today,
        evidence="A rumour.", by=staff, buyer=PublicBodyFactory(name="Unverified Council"),
    )  # fmt: skip
    return SimpleNamespace(**locals())


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def anon():
    return APIClient()
