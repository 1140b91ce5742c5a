"""One challenge → the releases of its contracting process, each dated when that step happened and tagged with it.

    planning        when the challenge was published (or the call opened, if earlier): budget, rationale
    tender          when the call opened: the open call (periods, method, documents)
    tenderUpdate    when the call closed: the number of tenderers (and, if the challenge was stopped with no
                    award, when it stopped: unsuccessful)
    award+contract  per stage (exploration, accelerator), on the earliest award date: awards, suppliers, contracts
                    (values, periods, the accelerator's milestones)
    contractUpdate  when a stage contract ended: its status
    implementation  per payment date: the tranches paid (transactions) and the milestones they settled

Only what has happened by `now` is released. Releases carry the state at their step, so merging them in date
order (a record) ends with the current state. The procurement method is "open": anyone may apply to the call;
selection is then by scored evaluation (awardCriteria "qualityOnly": there is no price competition, the payments
are fixed by the round).
"""

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal
from typing import cast

from django.utils import timezone

from ledger.models import Contract, Payment
from organisations.models import Organisation
from sprints.models import Milestone

from ..links import ocid as make_ocid
from ..links import page_url
from .parties import BUYER_ROLES, SUPPLIER_ROLES, party, reference

CURRENCY = "GBP"
# CPV 73000000: research and development services — what a challenge buys (exploration, then a prototype).
ITEM_CLASSIFICATION = {"scheme": "CPV", "id": "73000000",
                       "description": "Research and development services and related consultancy services"}  # fmt: skip
METHOD_DETAILS = (
    "Open call for innovation (CivTech challenge): any company or individual may apply. Applications are scored "
    "and shortlisted, shortlisted teams interviewed, and up to {teams} teams are given fixed-price exploration "
    "contracts; after a pitch, {accelerator} team(s) an accelerator contract up to the published maximum."
)
CONTRACT_STATUS = {Contract.Status.ACTIVE: "active", Contract.Status.COMPLETED: "terminated",
                   Contract.Status.TERMINATED: "terminated"}  # fmt: skip


def iso(moment: datetime | date) -> str:
    if not isinstance(moment, datetime):
        moment = timezone.make_aware(datetime.combine(moment, time.min))
    return timezone.localtime(moment).isoformat(timespec="seconds")


def money(amount: Decimal) -> dict:
    return {"amount": float(amount), "currency": CURRENCY}


def budget(challenge) -> Decimal:
    """What the round commits to the challenge: every exploration team's payment plus the accelerator maximum."""
    round_ = challenge.round
    return challenge.exploration_amount * round_.exploration_teams + challenge.accelerator_amount * max(
        round_.accelerator_teams, 1
    )


def releases_for(challenge, now: datetime) -> list[dict]:
    ocid = make_ocid(challenge.pk)
    round_ = challenge.round
    buyer = party(challenge.sponsor, BUYER_ROLES)
    published = challenge.first_published_at or round_.call_opens
    tender_id = f"{ocid}-call"

    def release(suffix: str, tags: list[str], when, parties: list[dict], **sections) -> dict:
        return {"ocid": ocid, "id": f"{ocid}-{suffix}", "date": iso(when), "tag": tags, "initiationType": "tender",
                "language": "en", "parties": parties, "buyer": reference(challenge.sponsor), **sections}  # fmt: skip

    call = _call(challenge, tender_id, published)
    releases = [
        release("planning", ["planning"], min(published, round_.call_opens), [buyer],
                planning={"rationale": challenge.summary,
                          "budget": {"id": f"{ocid}-budget", "amount": money(budget(challenge)),
                                     "description": "Exploration payments for every team plus the accelerator "
                                                    "maximum (£, excluding VAT)."}},
                tender={**call, "status": "planned"}),
    ]  # fmt: skip
    if round_.call_opens <= now:
        releases.append(release("tender", ["tender"], round_.call_opens, [buyer], tender={**call, "status": "active"}))
    contracts = list(challenge.stage_contracts)
    if round_.call_closes <= now:
        releases.append(release("tender-closed", ["tenderUpdate"], round_.call_closes, [buyer],
                                tender={"id": tender_id, "status": "active",
                                        "numberOfTenderers": challenge.tenderers}))  # fmt: skip
    if challenge.stopped_at and not contracts and challenge.stopped_at <= now:
        releases.append(release("tender-stopped", ["tenderUpdate"], challenge.stopped_at, [buyer],
                                tender={"id": tender_id, "status": "unsuccessful"}))  # fmt: skip
    for stage in Contract.STAGE_KINDS:
        awarded = [c for c in contracts if c.kind == stage and c.awarded_on <= now.date()]
        if awarded:
            parties = [buyer, *_suppliers(awarded)]
            releases.append(release(f"{stage}-award", ["award", "contract"], min(c.awarded_on for c in awarded),
                                    parties, tender={"id": tender_id, "status": "complete"},
                                    awards=[_award(c, stage) for c in awarded],
                                    contracts=[_contract(c) for c in awarded]))  # fmt: skip
    for contract in contracts:
        if contract.status != Contract.Status.ACTIVE and contract.ends_on <= now.date():
            releases.append(release(f"contract-{contract.pk}-end", ["contractUpdate"], contract.ends_on,
                                    [buyer, *_suppliers([contract])],
                                    contracts=[{"id": f"contract-{contract.pk}", "awardID": f"award-{contract.pk}",
                                               "status": "terminated"}]))  # fmt: skip
    for paid_on, payments in _paid_by_date(contracts).items():
        involved = list({p.contract.pk: p.contract for p in payments}.values())
        releases.append(release(f"payments-{paid_on.isoformat()}", ["implementation"], paid_on,
                                [buyer, *_suppliers(involved)],
                                contracts=_implementation(paid_on, payments)))  # fmt: skip
    # Stable: steps on the same day keep the order above (an award before its first payment).
    return sorted(releases, key=lambda r: datetime.fromisoformat(r["date"]))


def _call(challenge, tender_id: str, published) -> dict:
    round_ = challenge.round
    url = page_url(challenge)
    return {
        "id": tender_id,
        "title": challenge.title,
        "description": challenge.summary,
        "procuringEntity": reference(challenge.sponsor),
        "items": [{"id": "1", "description": challenge.title, "classification": ITEM_CLASSIFICATION}],
        "value": money(budget(challenge)),
        "procurementMethod": "open",
        "procurementMethodDetails": METHOD_DETAILS.format(
            teams=round_.exploration_teams, accelerator=round_.accelerator_teams
        ),
        "mainProcurementCategory": "services",
        "awardCriteria": "qualityOnly",
        "awardCriteriaDetails": "Scored on the written application, then at interview, then at the accelerator pitch.",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {"startDate": iso(round_.call_opens), "endDate": iso(round_.call_closes)},
        "enquiryPeriod": {"startDate": iso(round_.call_opens), "endDate": iso(round_.questions_close)},
        "hasEnquiries": challenge.answered_questions > 0,
        "awardPeriod": {"startDate": iso(round_.call_closes), "endDate": iso(round_.accelerator_start)},
        "contractPeriod": {"startDate": iso(round_.exploration_start), "endDate": iso(round_.accelerator_end)},
        "documents": [
            {
                "id": "challenge",
                "documentType": "tenderNotice",
                "title": challenge.title,
                "description": "The challenge: problem statement, users, what success looks like, funding, "
                "questions and answers.",
                "url": url,
                "format": "text/html",
                "language": "en",
                "datePublished": iso(published),
            }
        ],
    }


def _suppliers(contracts) -> list[dict]:
    unique = {c.supplier.pk: c.supplier for c in contracts}
    return [party(org, SUPPLIER_ROLES) for org in unique.values()]


def _award(contract, stage: str) -> dict:
    return {"id": f"award-{contract.pk}", "title": contract.title, "status": "active", "date": iso(contract.awarded_on),
            "value": money(contract.value), "suppliers": [reference(contract.supplier)],
            "contractPeriod": {"startDate": iso(contract.starts_on), "endDate": iso(contract.ends_on)},
            "description": f"{Contract.Kind(stage).label} contract."}  # fmt: skip


def _milestones(contract) -> list[Milestone]:
    """The milestones of a stage contract's engagement (prefetched by the selector); none for other contracts."""
    engagement = getattr(contract, "engagement", None)  # the reverse of Engagement.contract: absent raises
    return list(engagement.milestones.all()) if engagement is not None else []


def _contract(contract) -> dict:
    data = {"id": f"contract-{contract.pk}", "awardID": f"award-{contract.pk}", "title": contract.title,
            "status": "active", "value": money(contract.current_value), "dateSigned": iso(contract.awarded_on),
            "period": {"startDate": iso(contract.starts_on), "endDate": iso(contract.ends_on)}}  # fmt: skip
    milestones = _milestones(contract)
    if milestones:
        data["milestones"] = [
            {"id": f"milestone-{m.pk}", "title": m.title, "type": "delivery", "dueDate": iso(m.due_on),
             "status": "scheduled", "description": f"Tranche of £{m.tranche_amount:,.2f} (excluding VAT)."}
            for m in milestones
        ]  # fmt: skip
    return data


def _paid_by_date(contracts) -> dict[date, list[Payment]]:
    by_date: dict[date, list[Payment]] = defaultdict(list)
    for contract in contracts:
        for payment in contract.payments.all():
            if payment.status == Payment.Status.PAID and payment.paid_on:
                payment.contract = contract  # already loaded: no query per payment
                by_date[payment.paid_on].append(payment)
    return dict(sorted(by_date.items()))


def _implementation(paid_on: date, payments: list[Payment]) -> list[dict]:
    """The transactions of the payments made on `paid_on` (each payment's own date), and the milestones they met."""
    by_contract: dict[int, dict] = {}
    milestones: dict[int | None, Milestone] = {}  # by the payment each settles
    for contract in {p.contract.pk: p.contract for p in payments}.values():
        milestones.update({m.payment_id: m for m in _milestones(contract)})
    for payment in payments:
        contract = payment.contract
        # a stage contract is bought by the challenge's sponsor (ledger.services), never a private buyer
        buyer = cast(Organisation, contract.buyer)
        entry = by_contract.setdefault(contract.pk, {"id": f"contract-{contract.pk}", "awardID": f"award-{contract.pk}",
                                                      "implementation": {"transactions": []}})  # fmt: skip
        entry["implementation"]["transactions"].append({
            "id": f"payment-{payment.pk}", "date": iso(paid_on), "value": money(payment.amount),
            "payer": reference(buyer), "payee": reference(contract.supplier),
        })  # fmt: skip
        milestone: Milestone | None = milestones.get(payment.pk)
        if milestone is not None:
            met = milestone.tranche_due_at or paid_on
            entry.setdefault("milestones", []).append(
                {"id": f"milestone-{milestone.pk}", "status": "met", "dateMet": iso(met)}
            )
    return list(by_contract.values())
