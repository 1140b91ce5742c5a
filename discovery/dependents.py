"""Which documents a change touches: a solution shows its company and its challenge, so a change to either
refreshes it too. Called by the indexing task, never by a signal handler."""

from challenges.models import ChallengePage
from ledger.models import Contract
from sprints.models import Engagement, Lesson

from .models import Kind, SearchDocument


def _solutions(**filters) -> list[tuple[str, int]]:
    ids = Engagement.objects.filter(stage=Engagement.Stage.ACCELERATOR, **filters).values_list("pk", flat=True)
    return [(Kind.SOLUTION, pk) for pk in ids]


def _companies_of_challenge(challenge_id: int) -> list[tuple[str, int]]:
    ids = Engagement.objects.filter(application__challenge_id=challenge_id).values_list(
        "application__organisation_id", flat=True
    )
    return [(Kind.COMPANY, pk) for pk in set(ids)]


def documents_for_change(label: str, pk: int) -> list[tuple[str, int]]:
    """(kind, object id) of every document that may show something from object `label`/`pk`."""
    if label == "challenges.challengepage":
        return [(Kind.CHALLENGE, pk), *_solutions(application__challenge_id=pk), *_companies_of_challenge(pk)]
    if label == "wagtailcore.page":  # any other page: an editorial page, or gone
        return [(Kind.NEWS, pk), (Kind.CHALLENGE, pk)]
    if label == "challenges.round":
        return [(Kind.CHALLENGE, c) for c in ChallengePage.objects.filter(round_id=pk).values_list("pk", flat=True)]
    if label == "organisations.organisation":
        sponsored = ChallengePage.objects.filter(sponsor_id=pk).values_list("pk", flat=True)
        indexed = SearchDocument.objects.filter(sponsor_id=pk).values_list("kind", "object_id")
        return list(
            dict.fromkeys(
                [
                    (Kind.COMPANY, pk),
                    *_solutions(application__organisation_id=pk),
                    *[(Kind.CHALLENGE, c) for c in sponsored],
                    *indexed,
                ]
            )
        )
    if label == "sprints.engagement":
        engagement = Engagement.objects.filter(pk=pk).values("application__organisation_id").first()
        company = [(Kind.COMPANY, engagement["application__organisation_id"])] if engagement else []
        return [(Kind.SOLUTION, pk), *company]
    if label == "sprints.lesson":
        lesson = Lesson.objects.filter(pk=pk).values("engagement__application__challenge_id").first()
        return _solutions(application__challenge_id=lesson["engagement__application__challenge_id"]) if lesson else []
    if label == "ledger.contract":
        contract = Contract.objects.filter(pk=pk).values("challenge_id", "supplier_id").first()
        if contract is None:
            return []
        return _solutions(
            application__challenge_id=contract["challenge_id"], application__organisation_id=contract["supplier_id"]
        )
    raise LookupError(f"No search documents depend on {label}")


WATCHED = {
    "challenges.challengepage",
    "challenges.round",
    "organisations.organisation",
    "sprints.engagement",
    "sprints.lesson",
    "ledger.contract",
}
