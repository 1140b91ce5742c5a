"""Deliverables: every submission a kept version; the sponsor accepts it or asks for changes.

Accepting the last open deliverable of a milestone makes that milestone's payment tranche due.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.uploads import check_upload
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from ledger.services import payment_mark_due, payment_mark_paid, payment_schedule

from ..models import Deliverable, DeliverableVersion, Document, Engagement, Feedback, Milestone
from ._common import notify, programme_staff, sponsor_members, team_members, transition, workspace_url

DELIVERABLE_TRANSITIONS = {
    # A new version may replace one still awaiting feedback (the team spotted a mistake) or answer a request.
    Deliverable.Status.AWAITING_FEEDBACK: {
        Deliverable.Status.AWAITING_FEEDBACK,
        Deliverable.Status.ACCEPTED,
        Deliverable.Status.CHANGES_REQUESTED,
    },
    Deliverable.Status.CHANGES_REQUESTED: {Deliverable.Status.AWAITING_FEEDBACK},
}
MILESTONE_TRANSITIONS = {
    Milestone.Status.PLANNED: {Milestone.Status.TRANCHE_DUE},
    Milestone.Status.TRANCHE_DUE: {Milestone.Status.PAID},
}
MAX_FILES_PER_VERSION = 5


def document_store(
    *, engagement: Engagement, by: User, upload, version: DeliverableVersion | None = None, field: str = "file"
) -> Document:
    """Check an upload by its content and keep it in private storage (callers check permission). `field` is the
    form field a refusal belongs to."""
    checked = check_upload(upload, field=field)
    document = Document(
        engagement=engagement,
        version=version,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    document.file.save("upload", upload, save=False)
    document.save()
    return document


@transaction.atomic
def deliverable_submit(
    *,
    engagement: Engagement,
    by: User,
    title: str,
    description: str,
    demo_url: str = "",
    repository_url: str = "",
    video_url: str = "",
    notes: str = "",
    files=(),
    deliverable: Deliverable | None = None,
    milestone: Milestone | None = None,
) -> DeliverableVersion:
    """Submit a new deliverable, or a new version of one (every version is kept)."""
    require(has_permission("engagement.report", by, engagement))
    if not title.strip():
        raise DomainError("Give the deliverable a title.", field="title")
    if not description.strip():
        raise DomainError("Describe what you are submitting.", field="description")
    if len(files) > MAX_FILES_PER_VERSION:
        raise DomainError(f"Attach up to {MAX_FILES_PER_VERSION} files to a version.", field="files")
    if milestone is not None and milestone.engagement_id != engagement.pk:
        raise DomainError("That milestone belongs to another engagement.", field="milestone")
    if deliverable is None:
        deliverable = Deliverable.objects.create(engagement=engagement, title=title.strip(), milestone=milestone)
        before, number = "", 1
    else:
        deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if deliverable.engagement_id != engagement.pk:
            raise DomainError("That deliverable belongs to another engagement.")
        if deliverable.status == Deliverable.Status.ACCEPTED:
            raise DomainError("This deliverable has been accepted, so it takes no new versions.")
        before = transition(deliverable, Deliverable.Status.AWAITING_FEEDBACK, DELIVERABLE_TRANSITIONS)
        deliverable.title = title.strip()
        deliverable.save(update_fields=["status", "title", "updated_at"])
        number = deliverable.versions.count() + 1
    version = DeliverableVersion.objects.create(
        deliverable=deliverable,
        number=number,
        title=title.strip(),
        description=description.strip(),
        demo_url=demo_url,
        repository_url=repository_url,
        video_url=video_url,
        notes=notes.strip(),
        submitted_by=by,
    )
    for upload in files:
        document_store(engagement=engagement, by=by, upload=upload, version=version)
    audit(
        engagement,
        "civtech.engagement.deliverable_submit",
        by=by,
        data={"deliverable": deliverable.pk, "version": number, "before": before, "after": deliverable.status},
    )
    notify(
        sponsor_members(engagement),
        subject=f"{'New version of' if number > 1 else 'New deliverable:'} {deliverable.title}",
        body=f"{engagement.organisation} submitted version {number} of “{deliverable.title}”. "
        "Accept it or ask for changes in the workspace.",
        url=workspace_url(engagement, "sprints:deliverable", deliverable.pk),
    )
    return version


@transaction.atomic
def feedback_give(*, version: DeliverableVersion, by: User, decision: str, comments: str) -> Feedback:
    """The sponsor accepts the latest version or requests changes, once per version."""
    deliverable = Deliverable.objects.select_for_update().select_related("engagement").get(pk=version.deliverable_id)
    engagement = deliverable.engagement
    require(has_permission("engagement.review", by, engagement))
    if decision not in Feedback.Decision.values:
        raise DomainError("Choose whether to accept or request changes.", field="decision")
    if not comments.strip():
        raise DomainError("Give the team your feedback.", field="comments")
    latest = deliverable.versions.latest("number")  # there is one: `version` is among them
    if latest.pk != version.pk:
        raise DomainError(f"Give feedback on the latest version (version {latest.number}).")
    if Feedback.objects.filter(version=version).exists():
        raise DomainError("Feedback has already been given on this version.")
    after = (
        Deliverable.Status.ACCEPTED if decision == Feedback.Decision.ACCEPT else Deliverable.Status.CHANGES_REQUESTED
    )
    before = transition(deliverable, after, DELIVERABLE_TRANSITIONS)
    deliverable.save(update_fields=["status", "updated_at"])
    feedback = Feedback.objects.create(version=version, decision=decision, comments=comments.strip(), given_by=by)
    action = "accept" if decision == Feedback.Decision.ACCEPT else "request_changes"
    audit(
        engagement,
        f"civtech.engagement.deliverable_{action}",
        by=by,
        data={"deliverable": deliverable.pk, "version": version.number, "before": before, "after": after},
    )
    verdict = "accepted" if decision == Feedback.Decision.ACCEPT else "asked for changes to"
    notify(
        team_members(engagement),
        subject=f"The sponsor {verdict} {deliverable.title}",
        body=f"The sponsor {verdict} version {version.number} of “{deliverable.title}”:\n\n{feedback.comments}",
        url=workspace_url(engagement, "sprints:deliverable", deliverable.pk),
    )
    if after == Deliverable.Status.ACCEPTED and deliverable.milestone_id:
        _milestone_check(deliverable.milestone_id, by=by)
    return feedback


def _milestone_check(milestone_id: int, *, by: User) -> None:
    """When every deliverable linked to a milestone is accepted, its tranche becomes due (recorded only)."""
    milestone = Milestone.objects.select_for_update().select_related("engagement").get(pk=milestone_id)
    if milestone.status != Milestone.Status.PLANNED:
        return
    if milestone.deliverables.exclude(status=Deliverable.Status.ACCEPTED).exists():
        return
    transition(milestone, Milestone.Status.TRANCHE_DUE, MILESTONE_TRANSITIONS)
    milestone.tranche_due_at = timezone.now()
    milestone.save(update_fields=["status", "tranche_due_at"])
    if milestone.payment is not None:
        payment_mark_due(payment=milestone.payment, by=None)
    engagement = milestone.engagement
    audit(
        engagement,
        "civtech.engagement.tranche_due",
        by=by,
        data={"milestone": milestone.number, "amount": str(milestone.tranche_amount)},
    )
    notify(
        programme_staff(),
        subject=f"Tranche due: {engagement.organisation}, milestone {milestone.number}",
        body=f"The sponsor accepted the deliverables for milestone {milestone.number} ({milestone.title}), so "
        f"the tranche of £{milestone.tranche_amount:,.2f} is due.",
        url=workspace_url(engagement, "sprints:accelerator"),
    )


@transaction.atomic
def milestone_plan(*, engagement: Engagement, by: User, title: str, due_on, tranche_amount) -> Milestone:
    """Add an accelerator milestone with its tranche; tranches together stay within the contract value."""
    require(has_permission("engagement.plan", by, engagement))
    if engagement.stage != Engagement.Stage.ACCELERATOR:
        raise DomainError("Milestones and tranches belong to the accelerator stage.")
    if not title.strip():
        raise DomainError("Give the milestone a title.", field="title")
    if tranche_amount <= 0:
        raise DomainError("Enter a tranche of more than £0.", field="tranche_amount")
    last = engagement.milestones.order_by("-number").values_list("number", flat=True).first() or 0
    milestone = Milestone.objects.create(
        engagement=engagement, number=last + 1, title=title.strip(), due_on=due_on, tranche_amount=tranche_amount
    )
    # The tranche is a payment on the accelerator contract, which keeps the totals within its value (and any
    # approved variation): over the limit, the payment service refuses and this milestone is rolled back.
    if engagement.contract is None:
        raise DomainError("This engagement has no contract to pay a tranche from.")
    try:
        milestone.payment = payment_schedule(
            contract=engagement.contract, description=f"Milestone {milestone.number}: {milestone.title}",
            amount=tranche_amount, due_on=due_on, by=None,
        )  # fmt: skip
    except DomainError as error:
        field = "due_on" if error.field == "due_on" else "tranche_amount"  # a due date before the contract starts
        raise DomainError(error.message.replace("Payments", "Tranches"), field=field) from None
    milestone.save(update_fields=["payment"])
    audit(
        engagement,
        "civtech.engagement.milestone_plan",
        by=by,
        data={"milestone": milestone.number, "due_on": str(due_on), "amount": str(tranche_amount)},
    )
    return milestone


@transaction.atomic
def milestone_mark_paid(*, milestone: Milestone, by: User) -> Milestone:
    """Record that a due tranche has been paid (the payment itself happens in the finance system)."""
    milestone = Milestone.objects.select_for_update().select_related("engagement").get(pk=milestone.pk)
    require(has_permission("engagement.manage", by, milestone.engagement))
    before = transition(milestone, Milestone.Status.PAID, MILESTONE_TRANSITIONS)
    milestone.paid_at = timezone.now()
    milestone.save(update_fields=["status", "paid_at"])
    if milestone.payment is not None:
        payment_mark_paid(payment=milestone.payment, paid_on=timezone.localdate(), by=by)
    audit(
        milestone.engagement,
        "civtech.engagement.tranche_paid",
        by=by,
        data={"milestone": milestone.number, "before": before, "after": milestone.status},
    )
    return milestone
