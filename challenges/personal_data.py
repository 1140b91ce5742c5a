"""What the public site's challenge features hold about a person (composed by civtech.personal_data): alerts,
follows and the clarification questions they asked. Questions are kept (the answers are public record)."""

from django.db.models import Q

from civtech.personal_parts import PersonalData, by_address

from .models import AlertSubscription, ChallengeFollow, Clarification, ClarificationNotice


def _alert_subscriptions(user, addresses: list[str]):
    return AlertSubscription.objects.filter(Q(user=user) | by_address("email", addresses))


def _export(user, addresses: list[str]) -> dict:
    return {
        "alert_subscriptions": [
            {
                "email": s.email,
                "sectors": [sector.name for sector in s.sectors.all()],
                "keywords": s.keywords,
                "created_at": s.created_at,
                "confirmed_at": s.confirmed_at,
                "unsubscribed_at": s.unsubscribed_at,
            }
            for s in _alert_subscriptions(user, addresses).prefetch_related("sectors")
        ],
        "challenge_follows": [
            {"challenge": f.challenge.title, "since": f.created_at}
            for f in ChallengeFollow.objects.filter(user=user).select_related("challenge")
        ],
        "clarification_questions": [
            {"challenge": c.challenge.title, "question": c.question, "asked_at": c.asked_at, "status": c.status}
            for c in Clarification.objects.filter(asked_by=user).select_related("challenge")
        ],
    }


def _deletions(user, addresses: list[str]) -> dict:
    return {
        "alert_subscriptions": _alert_subscriptions(user, addresses),
        "challenge_follows": ChallengeFollow.objects.filter(user=user),
    }


PERSONAL_DATA = [
    PersonalData(
        order=30,
        export=_export,
        shown=frozenset({AlertSubscription, ChallengeFollow, Clarification}),
        kept=frozenset({(ClarificationNotice, "user")}),  # that they were told of an answer, once
        deletions=_deletions,
    )
]
