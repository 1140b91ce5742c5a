"""Public search and catalogue pages, and the signed-in recommendation pages. Reads only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from challenges.models import ChallengePage
from civtech.permissions import has_permission

from . import selectors, services
from .forms import params_for, query_from_params
from .query import FACETS, MAX_PAGE, Query
from .sources import solution_queryset

CATALOGUE_PER_PAGE = 20
HOME = [("Home", "/")]
FILTER_LABELS = {"sector": "Sector", "sponsor": "Sponsor", "region": "Region"}


def _result_pages(results):
    """A Paginator over the result count only (no rows), so the shared pagination template works."""
    shown = min(results.total, MAX_PAGE * results.query.per_page)
    paginator = Paginator(range(shown), results.query.per_page)
    page_obj = paginator.get_page(results.query.page)
    return page_obj, paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@require_GET
def search(request):
    query, messages = query_from_params(request.GET)
    results = services.search(query)
    page_obj, page_range = _result_pages(results)
    params = params_for(query)
    suggestion_url = ""
    if results.suggestion:
        suggestion_params = params_for(Query(text=results.suggestion, filters=query.filters))
        suggestion_url = "?" + suggestion_params.urlencode()
    facets = [(name, label, results.facets.get(name, [])) for name, label in FACETS.items()]
    return render(
        request,
        "discovery/search.html",
        {
            "query": query,
            "results": results,
            "messages_": messages,
            "facets": [f for f in facets if f[2]],
            "params": params,
            "page_obj": page_obj,
            "page_range": page_range,
            "suggestion_url": suggestion_url,
            "searched": bool(query.text or query.filters),
            "has_filters": bool(query.filters),
            "breadcrumbs": HOME,
            "clear_filters_url": "?" + params_for(Query(text=query.text)).urlencode(),
        },
    )


@require_GET
def autocomplete(request):
    """Options for the search box's <datalist>, fetched by htmx as people type."""
    titles = services.autocomplete(request.GET.get("q", ""))
    return render(request, "discovery/_autocomplete.html", {"titles": titles})


@require_GET
def solutions(request):
    choices = selectors.solution_filter_choices()
    chosen = {
        name: request.GET.get(name, "") if request.GET.get(name, "") in dict(choices[name]) else ""
        for name in selectors.SOLUTION_FILTERS
    }
    catalogue = selectors.solutions_catalogue(
        sector=int(chosen["sector"]) if chosen["sector"] else None,
        sponsor=int(chosen["sponsor"]) if chosen["sponsor"] else None,
        region=chosen["region"],
    )
    paginator = Paginator(catalogue, CATALOGUE_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "discovery/solutions.html",
        {
            "page_obj": page_obj,
            "solutions": page_obj.object_list,
            "page_range": paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1),
            "paginator": paginator,
            "filters": [
                (name, label, [(value, text, value == chosen[name]) for value, text in choices[name]])
                for name, label in FILTER_LABELS.items()
            ],
            "breadcrumbs": HOME,
            "params": params,
            "has_filters": any(chosen.values()),
        },
    )


@require_GET
def solution_detail(request, pk: int):
    engagement = get_object_or_404(solution_queryset(), pk=pk)
    return render(
        request,
        "discovery/solution_detail.html",
        {"solution": engagement, "breadcrumbs": [*HOME, ("Solutions", reverse("discovery:solutions"))]},
    )


@require_GET
def company_detail(request, slug: str):
    organisation = selectors.public_company(slug)
    if organisation is None:
        raise Http404("No public profile for this organisation.")
    return render(
        request,
        "discovery/company_detail.html",
        {
            "organisation": organisation,
            "solutions": selectors.company_solutions(organisation),
            "breadcrumbs": [*HOME, ("Solutions", reverse("discovery:solutions"))],
        },
    )


@login_required
@require_GET
def recommended(request):
    organisation = selectors.user_company(request.user)
    allowed, reason = has_permission("search.recommend", request.user, organisation)
    if not allowed:
        raise PermissionDenied(reason)
    return render(
        request,
        "discovery/recommended.html",
        {
            "organisation": organisation,
            "recommendations": selectors.recommended_challenges(organisation),
            "breadcrumbs": [*HOME, ("Your account", reverse("accounts:dashboard"))],
        },
    )


@login_required
@require_GET
def similar(request):
    try:
        challenge_id = int(request.GET.get("challenge", ""))
    except ValueError:
        raise Http404("Choose a challenge.") from None
    # Drafts included: this is for the sponsor while they write, and the permission check comes next.
    challenge = get_object_or_404(ChallengePage.objects.select_related("sponsor"), pk=challenge_id)
    allowed, reason = has_permission("search.similar", request.user, challenge)
    if not allowed:
        raise PermissionDenied(reason)
    challenges, solutions, notice = selectors.similar_to_challenge(challenge)
    return render(
        request,
        "discovery/similar.html",
        {
            "challenge": challenge,
            "challenges": challenges,
            "solutions": solutions,
            "notice": notice,
            "breadcrumbs": [*HOME, ("Your account", reverse("accounts:dashboard"))],
        },
    )
