"""Demo money: the public impact page, exploration tranches paid once a stage has ended, follow-on contracts
verified or awaiting verification, reuse by another public body, a private sale, and the assumptions history.

Stage contracts and accelerator tranches already exist: the sprints demo creates engagements and milestones
through the services, which create them. Idempotent: each step looks for what it would make.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Page

from accounts.models import User
from civtech.demo_data import DemoStep
from ledger.models import Contract, Payment
from ledger.services import contract_record_follow_on, contract_verify, payment_mark_due, payment_mark_paid
from organisations.models import Organisation
from sprints.services import milestone_mark_paid

from .models import Assumptions, ImpactPage

INTRO = (
    "What CivTech has achieved since it began: the funding it gave to build prototypes, the contracts, jobs and "
    "investment that followed, and the savings public bodies have made."
)


def _impact_page(log) -> None:
    if ImpactPage.objects.exists():
        return
    home = Page.objects.get(depth=2)
    page = ImpactPage(title="Our impact", slug="impact", intro=INTRO)
    home.add_child(instance=page)
    page.save_revision().publish()
    log("impact: /impact/ page published")


def _pay_ended_explorations(staff: User, today) -> int:
    paid = 0
    for payment in Payment.objects.filter(
        contract__kind=Contract.Kind.EXPLORATION, contract__ends_on__lt=today, status__in=["planned", "due"]
    ).select_related("contract"):
        if payment.status == Payment.Status.PLANNED:
            payment = payment_mark_due(payment=payment, by=staff)
        payment_mark_paid(payment=payment, paid_on=min(payment.contract.ends_on + timedelta(days=14), today), by=staff)
        paid += 1
    return paid


def _pay_due_tranches(staff: User) -> int:
    """Accelerator tranches whose milestones were accepted are paid, through the milestone (keeping both in step)."""
    due = Payment.objects.filter(status=Payment.Status.DUE, milestone__isnull=False).select_related("milestone")
    for payment in due:
        milestone_mark_paid(milestone=payment.milestone, by=staff)
    return len(due)


def _follow_ons(staff: User, today) -> None:
    # Follow-ons the sprints demo recorded as outcomes: the older half verified against evidence.
    for n, contract in enumerate(Contract.objects.filter(kind=Contract.Kind.FOLLOW_ON).order_by("pk")):
        if n % 2 == 0 and contract.verified_at is None:
            contract_verify(contract=contract, by=staff)
    if Contract.objects.filter(kind__in=[Contract.Kind.REUSE, Contract.Kind.PRIVATE]).exists():
        return
    completed = Contract.objects.filter(kind=Contract.Kind.ACCELERATOR, ends_on__lt=today).select_related(
        "challenge", "supplier"
    )
    others = list(Organisation.objects.public_bodies().order_by("name"))
    for n, accelerator in enumerate(completed.order_by("pk")):
        buyer = next(o for o in others[n % len(others) :] + others if o.pk != accelerator.challenge.sponsor_id)
        reuse = contract_record_follow_on(
            challenge=accelerator.challenge, supplier=accelerator.supplier, kind=Contract.Kind.REUSE, buyer=buyer,
            title=f"{accelerator.challenge.title}: used by {buyer}", value=Decimal(90_000 + 15_000 * n),
            starts_on=today - timedelta(days=120), ends_on=today + timedelta(days=245),
            awarded_on=today - timedelta(days=130), evidence="Public Contracts Scotland award notice.", by=staff,
        )  # fmt: skip
        if n % 3 != 2:
            contract_verify(contract=reuse, by=staff)
        if n == 0:
            private = contract_record_follow_on(
                challenge=accelerator.challenge, supplier=accelerator.supplier, kind=Contract.Kind.PRIVATE,
                buyer_name="A Scottish housing association", title="Licence for the product",
                value=Decimal(45_000), starts_on=today - timedelta(days=60), ends_on=today + timedelta(days=305),
                awarded_on=today - timedelta(days=70), evidence="Signed licence seen by the CivTech team.", by=staff,
            )  # fmt: skip
            contract_verify(contract=private, by=staff)


def seed(*, log) -> None:
    today = timezone.localdate()
    staff = User.objects.get(email="staff@civtech.example")
    _impact_page(log)
    paid = _pay_ended_explorations(staff, today) + _pay_due_tranches(staff)
    _follow_ons(staff, today)
    if not Assumptions.objects.exists():
        Assumptions.objects.create(
            changed_by=staff,
            note="Illustrative values in line with Scottish Enterprise evaluation guidance for business support.",
        )
    log(f"impact: {paid} tranches recorded as paid; {Contract.objects.count()} contracts in all")


DEMO_STEPS = [DemoStep(70, lambda run: seed(log=run.log))]
