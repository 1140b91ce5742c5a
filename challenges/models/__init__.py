from .alerts import AlertDelivery, AlertSubscription
from .pages import ChallengeIndexPage, ChallengePage, SponsorIndexPage
from .questions import ChallengeFollow, Clarification, ClarificationNotice
from .rounds import DEFAULT_CRITERIA, Criterion, Round
from .stages import RoundStage
from .taxonomy import Sector
from .workflow import SponsorSignOffTask

__all__ = [
    "DEFAULT_CRITERIA",
    "AlertDelivery",
    "AlertSubscription",
    "ChallengeFollow",
    "ChallengeIndexPage",
    "ChallengePage",
    "Clarification",
    "ClarificationNotice",
    "Criterion",
    "Round",
    "RoundStage",
    "Sector",
    "SponsorIndexPage",
    "SponsorSignOffTask",
]
