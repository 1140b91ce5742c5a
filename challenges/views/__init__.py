"""Public challenge pages (public.py), clarification Q&A (questions.py) and alerts (alerts.py)."""

from .alerts import alert_confirm, alert_subscribe, alert_unsubscribe
from .public import challenge_calendar, challenge_detail, challenge_listing, open_challenges_feed, round_detail
from .questions import answer_list, challenge_follow, question_answer, question_ask, questions_context

__all__ = [
    "alert_confirm",
    "alert_subscribe",
    "alert_unsubscribe",
    "answer_list",
    "challenge_calendar",
    "challenge_detail",
    "challenge_follow",
    "challenge_listing",
    "open_challenges_feed",
    "question_answer",
    "question_ask",
    "questions_context",
    "round_detail",
]
