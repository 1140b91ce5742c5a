"""What the stage work holds about a person (composed by civtech.personal_data): their message settings and
notices (theirs alone), and the updates and messages they wrote for their team (listed by reference, kept)."""

from civtech.personal_parts import PersonalData

from .models import (
    DeliverableVersion,
    Document,
    Engagement,
    Feedback,
    Lesson,
    Meeting,
    Message,
    MessageNotice,
    MessagePreference,
    Pitch,
    PitchScore,
    ReminderDelivery,
    Risk,
    SprintUpdate,
)


def _export(user, addresses: list[str]) -> dict:
    return {
        "message_preference": MessagePreference.objects.filter(user=user).values_list("frequency", flat=True).first(),
        "message_notices": list(MessageNotice.objects.filter(user=user).values("message_id", "created_at")),
    }


def _records(user) -> dict:
    return {
        "sprint_updates_posted": [
            {"id": u.pk, "engagement": u.sprint.engagement_id, "sprint": u.sprint.number, "posted_at": u.posted_at}
            for u in SprintUpdate.objects.filter(posted_by=user).select_related("sprint")
        ],
        "messages_written": list(
            Message.objects.filter(author=user).values("id", "engagement_id", "posted_at").order_by("posted_at")
        ),
    }


def _deletions(user, addresses: list[str]) -> dict:
    return {"message_preferences": MessagePreference.objects.filter(user=user)}


PERSONAL_DATA = [
    PersonalData(
        order=60,
        export=_export,
        records=_records,
        listed=frozenset({(SprintUpdate, "posted_by"), (Message, "author")}),
        shown=frozenset({MessagePreference, MessageNotice}),
        kept=frozenset(
            {
                (Engagement, "created_by"),
                (Risk, "raised_by"),
                (Lesson, "recorded_by"),
                (Lesson, "published_by"),
                (Meeting, "created_by"),
                (ReminderDelivery, "user"),
                (DeliverableVersion, "submitted_by"),
                (Feedback, "given_by"),
                (Document, "uploaded_by"),
                (Pitch, "submitted_by"),
                (PitchScore, "scorer"),
            }
        ),
        deletions=_deletions,
    )
]
