"""Reads for the catalogue and recommendations, each in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import QuerySet
from wagtail.models import Revision

from applications.models import Application
from challenges.models import ChallengePage, Sector
from challenges.status import Status
from organisations.models import Organisation, OrganisationKind, Region
from sprints.models import Engagement

from . import services
from .models import Kind
from .query import Hit
from .sources import company_queryset, solution_queryset, stream_text

SOLUTION_FILTERS = ("sector", "sponsor", "region")


def solutions_catalogue(*, sector: int | None = None, sponsor: int | None = None, region: str = "") -> QuerySet:
    """Products of completed accelerators on live challenges, newest first (prefetches: see sources)."""
    qs = solution_queryset()
    if sector:
        qs = qs.filter(application__challenge__sectors=sector)
    if sponsor:
        qs = qs.filter(application__challenge__sponsor_id=sponsor)
    if region:
        qs = qs.filter(application__organisation__region=region)
    return qs.order_by("-application__challenge__round__accelerator_end", "application__organisation__name", "pk")


def solution_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Only values some solution has, so no filter leads to an empty page."""
    solutions = solution_queryset().values("pk")
    sectors = Sector.objects.filter(challenges__applications__engagements__in=solutions).distinct()
    sponsors = Organisation.objects.filter(challenges__applications__engagements__in=solutions).distinct()
    regions = set(
        Organisation.objects.filter(applications__engagements__in=solutions)
        .exclude(region="")
        .values_list("region", flat=True)
    )
    return {
        "sector": [(str(s.pk), s.name) for s in sectors.order_by("name")],
        "sponsor": [(str(o.pk), o.name) for o in sponsors.order_by("name")],
        "region": [(value, label) for value, label in Region.choices if value in regions],
    }


def public_company(slug: str) -> Organisation | None:
    return company_queryset().filter(slug=slug).first()


def company_solutions(organisation: Organisation) -> list[Engagement]:
    return list(solution_queryset().filter(application__organisation=organisation))


def user_company(user) -> Organisation | None:
    """The first company (not public body) the user belongs to."""
    if not user.is_authenticated:
        return None
    return (
        Organisation.objects.filter(memberships__user=user)
        .exclude(kind=OrganisationKind.PUBLIC_BODY)
        .order_by("name")
        .first()
    )


@dataclass
class Recommendations:
    hits: list[Hit]
    notice: str
    basis: list[str]  # what the recommendations were based on, shown so people can improve their profile


def recommended_challenges(organisation: Organisation, limit: int = 6) -> Recommendations:
    """Open challenges most like the company's profile, sectors and past applications."""
    sectors = list(organisation.sectors.all())
    applied = list(
        Application.objects.filter(organisation=organisation)
        .select_related("challenge")
        .values_list("challenge_id", "challenge__title", "challenge__summary")
    )
    text = " ".join([organisation.description, *(s.name for s in sectors), *(f"{t} {s}" for _, t, s in applied)])
    basis = [
        label
        for label, present in (
            ("description", organisation.description),
            ("sectors", sectors),
            ("past applications", applied),
        )
        if present
    ]
    if not text.strip():
        return Recommendations([], "", basis)
    hits, notice = services.similar(
        text=text,
        kinds=[Kind.CHALLENGE],
        filters={"status": (Status.OPEN, Status.UPCOMING)},
        sector_ids=[s.pk for s in sectors],
        exclude=[(Kind.CHALLENGE, pk) for pk, _, _ in applied],
        limit=limit,
    )
    return Recommendations(hits, notice, basis)


def draft_text(challenge: ChallengePage) -> tuple[str, list[int]]:
    """The latest version the sponsor is working on (a draft revision if any), as text and sector ids."""
    revision = Revision.page_revisions.filter(object_id=str(challenge.pk)).order_by("-created_at", "-pk").first()
    page = revision.as_object() if revision else challenge
    text = " ".join([page.title, page.summary, stream_text(page.problem_statement), stream_text(page.users)])
    sector_ids = [s.pk for s in page.sectors.all()]
    return text, sector_ids


def similar_to_challenge(challenge: ChallengePage, limit: int = 5) -> tuple[list[Hit], list[Hit], str]:
    """Past challenges and solutions like this one ("has this been solved already?")."""
    text, sector_ids = draft_text(challenge)
    exclude: list[tuple[str, int]] = [(Kind.CHALLENGE, challenge.pk)]
    challenges, notice = services.similar(
        text=text, kinds=[Kind.CHALLENGE], sector_ids=sector_ids, exclude=exclude, limit=limit
    )
    solutions, notice2 = services.similar(
        text=text,
        kinds=[Kind.SOLUTION],
        sector_ids=sector_ids,
        exclude=[],
        limit=limit,
    )
    solutions = [hit for hit in solutions if hit.data.get("challenge_id") != challenge.pk]
    return challenges, solutions, notice or notice2
