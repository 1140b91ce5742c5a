"""Stage work: a selected team's engagement with the sponsor, from exploration to the accelerator's outcome."""

from .collaboration import Meeting, Message, MessageNotice, MessagePreference, ReminderDelivery
from .deliverables import Deliverable, DeliverableVersion, Document, Feedback
from .engagements import Engagement, Lesson, Milestone, Risk, Sprint, SprintUpdate
from .pitches import Pitch, PitchScore

__all__ = [
    "Deliverable",
    "DeliverableVersion",
    "Document",
    "Engagement",
    "Feedback",
    "Lesson",
    "Meeting",
    "Message",
    "MessageNotice",
    "MessagePreference",
    "Milestone",
    "Pitch",
    "PitchScore",
    "ReminderDelivery",
    "Risk",
    "Sprint",
    "SprintUpdate",
]
