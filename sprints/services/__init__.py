"""Every write in the sprints app. Services are split by stage of the work; import them from here."""

from .collaboration import (
    document_upload,
    meeting_notes_save,
    meeting_record,
    message_post,
    message_preference_set,
    messages_send_digests,
    risk_close,
    risk_log,
)
from .deliverables import deliverable_submit, feedback_give, milestone_mark_paid, milestone_plan
from .engagements import engagement_create, engagement_end, engagement_set_rag, sprint_plan, sprint_update_post
from .outcomes import lesson_publish, lesson_record, outcome_record
from .pitches import pitch_criteria, pitch_decide, pitch_score, pitch_submit
from .reminders import remind_feedback_awaiting, remind_milestones_due, remind_sprint_updates

__all__ = [
    "deliverable_submit",
    "document_upload",
    "engagement_create",
    "engagement_end",
    "engagement_set_rag",
    "feedback_give",
    "lesson_publish",
    "lesson_record",
    "meeting_notes_save",
    "meeting_record",
    "message_post",
    "message_preference_set",
    "messages_send_digests",
    "milestone_mark_paid",
    "milestone_plan",
    "outcome_record",
    "pitch_criteria",
    "pitch_decide",
    "pitch_score",
    "pitch_submit",
    "remind_feedback_awaiting",
    "remind_milestones_due",
    "remind_sprint_updates",
    "risk_close",
    "risk_log",
    "sprint_plan",
    "sprint_update_post",
]
