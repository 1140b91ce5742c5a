"""What may be found, and only the public facts of it: the single place that decides what gets indexed.

Every kind has a `*_queryset()` of what is public now (public challenges, as `challenges.selectors.public_challenges`
defines them for the whole site; live, not view-restricted news pages; completed accelerator products on public
challenges; companies that took part in one; published lessons) and a
`*_document()` that copies public fields only. A company's employees, turnover, address and members,
application answers, contract values and unverified contracts never reach a document, so no backend,
snippet or facet can show them. `document_for(kind, pk)` returns None for anything no longer public,
which tells indexing to delete it.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.models import Page

from challenges.models import ChallengePage
from challenges.selectors import on_public_challenge, public_challenges
from cms.models import NewsPage, StandardPage
from ledger.models import Contract
from organisations.models import Organisation, OrganisationKind
from sprints.models import Engagement, Lesson

from .models import STATUS_DATE_FIELDS, Kind
from .query import funding_band

BATCH = 200


@dataclass
class Doc:
    kind: str
    object_id: int
    title: str
    url: str
    summary: str = ""
    body: str = ""
    keywords: str = ""
    sectors: list[tuple[int, str]] = field(default_factory=list)
    sponsor: tuple[int, str] | None = None
    round: tuple[int, str] | None = None
    region: str = ""
    funding: Decimal | None = None
    dates: dict[str, datetime | None] = field(default_factory=dict)
    published_at: datetime | None = None
    data: dict = field(default_factory=dict)

    @property
    def funding_band(self) -> str:
        return funding_band(self.funding)


def stream_text(value) -> str:
    """The words of a StreamField (or rich text), without markup, image ids or link targets."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            if not node.startswith(("http://", "https://", "mailto:", "/")):
                out.append(strip_tags(node))
        elif isinstance(node, dict):
            for key, child in node.items():
                if key not in ("id", "type", "image", "document", "page", "url", "alt_text"):
                    walk(child)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)

    walk(getattr(value, "raw_data", value))
    return " ".join(" ".join(out).split())


# --- challenges ---------------------------------------------------------------------------------
def challenge_queryset() -> QuerySet[ChallengePage]:
    return public_challenges().select_related("round", "sponsor").prefetch_related("sectors").order_by("pk")


def challenge_document(page: ChallengePage) -> Doc:
    sectors = [(s.pk, s.name) for s in page.sectors.all()]
    round_ = page.round
    return Doc(
        kind=Kind.CHALLENGE,
        object_id=page.pk,
        title=page.title,
        url=page.url or "",
        summary=page.summary,
        body=" ".join(
            stream_text(v) for v in (page.problem_statement, page.users, page.success, page.sponsor_provides)
        ),
        keywords=" ".join([page.sponsor.name, round_.name, *(name for _, name in sectors)]),
        sectors=sectors,
        sponsor=(page.sponsor_id, page.sponsor.name),
        round=(round_.pk, round_.name),
        funding=page.accelerator_amount,
        dates={**{name: getattr(round_, name) for name in STATUS_DATE_FIELDS}, "stopped_at": page.stopped_at},
        published_at=page.first_published_at,
    )


# --- solutions: products of completed accelerators ----------------------------------------------
def public_reuse_contracts() -> QuerySet[Contract]:
    """Verified follow-on and reuse contracts with public bodies: "who else now uses it". Buyer names only."""
    return Contract.objects.filter(
        kind__in=[Contract.Kind.FOLLOW_ON, Contract.Kind.REUSE],
        verified_at__isnull=False,
        buyer__kind=OrganisationKind.PUBLIC_BODY,
    ).select_related("buyer")


def solution_queryset() -> QuerySet[Engagement]:
    return (
        Engagement.objects.filter(on_public_challenge("application__challenge"), stage=Engagement.Stage.ACCELERATOR)
        .filter(Q(status=Engagement.Status.COMPLETED) | ~Q(outcome=""))
        .exclude(status=Engagement.Status.ENDED)
        .select_related("application__organisation", "application__challenge__sponsor", "application__challenge__round")
        .prefetch_related(
            "application__challenge__sectors",
            Prefetch(
                "application__challenge__contracts",
                queryset=public_reuse_contracts().order_by("buyer__name"),
                to_attr="public_reuse",
            ),
            Prefetch(
                "lessons", queryset=Lesson.objects.filter(status=Lesson.Status.PUBLISHED), to_attr="public_lessons"
            ),
        )
        .order_by("pk")
    )


def solution_document(engagement: Engagement) -> Doc:
    company = engagement.application.organisation
    challenge = engagement.application.challenge
    # Only this supplier's contracts count as others using its product.
    users = sorted({c.buyer.name for c in challenge.public_reuse if c.supplier_id == company.pk})
    lessons = " ".join(f"{x.what_worked} {x.what_did_not} {x.differently}" for x in engagement.public_lessons)
    sectors = [(s.pk, s.name) for s in challenge.sectors.all()]
    return Doc(
        kind=Kind.SOLUTION,
        object_id=engagement.pk,
        title=f"{company.name}: {challenge.title}",
        url=reverse("discovery:solution", args=[engagement.pk]),
        summary=company.description or challenge.summary,
        body=" ".join([challenge.summary, stream_text(challenge.problem_statement), lessons]),
        keywords=" ".join([company.name, challenge.sponsor.name, *users, *(name for _, name in sectors)]),
        sectors=sectors,
        sponsor=(challenge.sponsor_id, challenge.sponsor.name),
        round=(challenge.round_id, challenge.round.name),
        region=company.region,
        funding=challenge.accelerator_amount,
        published_at=engagement.outcome_recorded_at or challenge.first_published_at,
        data={
            "company": company.name,
            "company_slug": company.slug,
            "website": company.website,
            "challenge_title": challenge.title,
            "challenge_url": challenge.url or "",
            "used_by": users,
            "has_lessons": bool(engagement.public_lessons),
            "challenge_id": challenge.pk,
        },
    )


# --- company profiles ---------------------------------------------------------------------------
def company_queryset() -> QuerySet[Organisation]:
    """Companies known publicly: those in an exploration or accelerator team on a public challenge."""
    taken_part = Engagement.objects.filter(on_public_challenge("application__challenge")).values(
        "application__organisation_id"
    )
    return (
        Organisation.objects.exclude(kind__in=[OrganisationKind.PUBLIC_BODY, OrganisationKind.INDIVIDUAL])
        .filter(pk__in=taken_part)
        .prefetch_related("sectors")
        .only("pk", "name", "slug", "kind", "website", "region", "description")
        .order_by("pk")
    )


def company_document(organisation: Organisation) -> Doc:
    sectors = [(s.pk, s.name) for s in organisation.sectors.all()]
    return Doc(
        kind=Kind.COMPANY,
        object_id=organisation.pk,
        title=organisation.name,
        url=reverse("discovery:company", args=[organisation.slug]),
        summary=organisation.description,
        keywords=" ".join([organisation.get_region_display(), *(name for _, name in sectors)]),
        sectors=sectors,
        region=organisation.region,
        data={"website": organisation.website},
    )


# --- news and case studies: editorial pages ------------------------------------------------------
def news_models() -> list[type[Page]]:
    """Page types searched as news and case studies. Add a model here (with `summary` and `body`) to index it."""

    return [StandardPage, NewsPage]


def news_queryset() -> QuerySet[Page]:
    return Page.objects.live().public().type(*news_models()).specific().order_by("pk")


def news_document(page) -> Doc:
    return Doc(
        kind=Kind.NEWS,
        object_id=page.pk,
        title=page.title,
        url=page.url or "",
        summary=getattr(page, "summary", "") or "",
        body=stream_text(getattr(page, "body", "")),
        published_at=page.last_published_at,
    )


SOURCES = {
    Kind.CHALLENGE: (challenge_queryset, challenge_document),
    Kind.SOLUTION: (solution_queryset, solution_document),
    Kind.COMPANY: (company_queryset, company_document),
    Kind.NEWS: (news_queryset, news_document),
}


def document_for(kind: str, pk: int) -> Doc | None:
    """The document for one object, or None when it is not (or no longer) public."""
    queryset, build = SOURCES[Kind(kind)]
    obj = queryset().filter(pk=pk).first()
    return build(obj) if obj is not None else None


def iter_documents(kind: str) -> Iterator[Doc]:
    queryset, build = SOURCES[Kind(kind)]
    ids = list(queryset().values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        for obj in queryset().filter(pk__in=ids[start : start + BATCH]):
            yield build(obj)


def count_documents(kind: str) -> int:
    return SOURCES[Kind(kind)][0]().count()
