"""The shared part of a workspace: messages (with immediate or daily email), meetings, documents, risks."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from notifications.services import email_enqueue

from ..models import Document, Engagement, Meeting, Message, MessageNotice, MessagePreference, Risk
from ._common import sponsor_members, team_members, transition, workspace_url
from .deliverables import document_store

RISK_TRANSITIONS = {Risk.Status.OPEN: {Risk.Status.CLOSED}}


def frequency_for(user: User) -> str:
    preference = MessagePreference.objects.filter(user=user).first()
    return preference.frequency if preference else MessagePreference.Frequency.IMMEDIATE


@transaction.atomic
def message_preference_set(*, user: User, frequency: str) -> MessagePreference:
    if frequency not in MessagePreference.Frequency.values:
        raise DomainError("Choose how you want to hear about new messages.", field="frequency")
    preference, _ = MessagePreference.objects.update_or_create(user=user, defaults={"frequency": frequency})
    return preference


@transaction.atomic
def message_post(*, engagement: Engagement, by: User, body: str) -> Message:
    """Post to the thread; the team and sponsor who want immediate email get one each, exactly once."""
    require(has_permission("engagement.collaborate", by, engagement))
    if not body.strip():
        raise DomainError("Write a message.", field="body")
    message = Message.objects.create(engagement=engagement, author=by, body=body.strip())
    url = workspace_url(engagement, "sprints:messages")
    for person in {p.pk: p for p in team_members(engagement) + sponsor_members(engagement)}.values():
        if person.pk == by.pk or frequency_for(person) != MessagePreference.Frequency.IMMEDIATE:
            continue
        MessageNotice.objects.create(message=message, user=person)
        email_enqueue(
            to=person.email,
            template="sprints/email/workspace",
            context={
                "subject": f"New message: {engagement.challenge.title}",
                "body": f"{by.get_full_name() or by.email} wrote:\n\n{message.body}",
                "url": url,
                "person": person,
            },
        )
    return message


def _unsent_messages_for(user: User):
    """Messages in the user's workspaces (as they are now) that they have not been told about."""
    return (
        Message.objects.filter(
            Q(engagement__application__organisation__memberships__user=user)
            | Q(engagement__application__challenge__sponsor__memberships__user=user)
        )
        .exclude(author=user)
        .exclude(notices__user=user)
        .select_related("engagement__application__challenge", "author")
        .distinct()
        .order_by("engagement_id", "posted_at")
    )


def messages_send_digests() -> int:
    """Run daily: one email per person on the daily digest listing the messages they have not heard about."""
    sent = 0
    daily = User.objects.filter(message_preference__frequency=MessagePreference.Frequency.DAILY, is_active=True)
    for user in daily:
        if _send_digest(user):
            sent += 1
    return sent


@transaction.atomic
def _send_digest(user: User) -> bool:
    messages = list(_unsent_messages_for(user))
    if not messages:
        return False
    try:
        with transaction.atomic():
            MessageNotice.objects.bulk_create([MessageNotice(message=m, user=user) for m in messages])
    except IntegrityError:
        return False  # another run got here first
    lines = [
        f"{m.engagement.challenge.title} — {m.author.get_full_name() or m.author.email}, "
        f"{timezone.localtime(m.posted_at):%-d %b %H:%M}:\n{m.body}"
        for m in messages
    ]
    email_enqueue(
        to=user.email,
        template="sprints/email/workspace",
        context={
            "subject": f"{len(messages)} new workspace message(s)",
            "body": "\n\n".join(lines),
            "url": workspace_url(messages[0].engagement, "sprints:messages"),
            "person": user,
        },
    )
    return True


@transaction.atomic
def meeting_record(*, engagement: Engagement, by: User, title: str, starts_at, notes: str = "") -> Meeting:
    require(has_permission("engagement.collaborate", by, engagement))
    if not title.strip():
        raise DomainError("Give the meeting a title.", field="title")
    meeting = Meeting.objects.create(
        engagement=engagement, title=title.strip(), starts_at=starts_at, notes=notes.strip(), created_by=by
    )
    audit(engagement, "civtech.engagement.meeting", by=by, data={"meeting": meeting.pk, "title": meeting.title})
    return meeting


@transaction.atomic
def meeting_notes_save(*, meeting: Meeting, by: User, notes: str) -> Meeting:
    require(has_permission("engagement.collaborate", by, meeting.engagement))
    meeting.notes = notes.strip()
    meeting.save(update_fields=["notes"])
    audit(meeting.engagement, "civtech.engagement.meeting_notes", by=by, data={"meeting": meeting.pk})
    return meeting


@transaction.atomic
def document_upload(*, engagement: Engagement, by: User, upload) -> Document:
    require(has_permission("engagement.collaborate", by, engagement))
    document = document_store(engagement=engagement, by=by, upload=upload)
    audit(engagement, "civtech.engagement.document", by=by, data={"file": document.name, "size": document.size})
    return document


@transaction.atomic
def risk_log(
    *,
    engagement: Engagement,
    by: User,
    kind: str,
    title: str,
    severity: str,
    description: str = "",
    mitigation: str = "",
) -> Risk:
    require(has_permission("engagement.collaborate", by, engagement))
    if not title.strip():
        raise DomainError("Give the risk or issue a title.", field="title")
    if kind not in Risk.Kind.values or severity not in Risk.Severity.values:
        raise DomainError("Choose the kind and severity.", field="kind")
    risk = Risk.objects.create(
        engagement=engagement,
        kind=kind,
        title=title.strip(),
        severity=severity,
        description=description.strip(),
        mitigation=mitigation.strip(),
        raised_by=by,
    )
    audit(engagement, "civtech.engagement.risk_log", by=by, data={"risk": risk.pk, "kind": kind, "severity": severity})
    return risk


@transaction.atomic
def risk_close(*, risk: Risk, by: User) -> Risk:
    require(has_permission("engagement.collaborate", by, risk.engagement))
    before = transition(risk, Risk.Status.CLOSED, RISK_TRANSITIONS)
    risk.closed_at = timezone.now()
    risk.save(update_fields=["status", "closed_at"])
    audit(risk.engagement, "civtech.engagement.risk_close", by=by, data={"risk": risk.pk, "before": before})
    return risk
