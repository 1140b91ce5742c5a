"""What every public government site answers besides its pages: `/sitemap.xml`, `/robots.txt` and `/cookies/`.

The sitemap lists only what anyone may see, by the project's one definition of public: Wagtail pages that are live
and without a view restriction (`.live().public()`), of which challenges only as `public_challenges()` has them;
and the public views that are not pages (round pages, the solutions catalogue with each solution and company
profile, lessons, open data, this cookies page). Links name the canonical site (`SITE_URL`), as the API does.
It lives here, in the project, because it gathers several apps' public outputs.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap

from challenges.models import ChallengeIndexPage, ChallengePage, Round
from challenges.selectors import on_public_challenge, public_challenge_ids
from discovery.sources import company_queryset, solution_queryset


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class PublicPages(Sitemap):
    """Every live page without a view restriction on it or an ancestor; a challenge only if it is public."""

    def items(self):
        hidden_challenges = ChallengePage.objects.exclude(pk__in=public_challenge_ids()).values("pk")
        return (
            self.get_wagtail_site()
            .root_page.get_descendants(inclusive=True)
            .live()
            .public()
            .exclude(pk__in=hidden_challenges)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        for item in self.paginator.page(page).object_list:
            parts = item.get_url_parts(self.request)
            if parts is None:  # not under this site's root: not reachable here
                continue
            urls.append({"item": item, "location": absolute(parts[2]), "lastmod": item.last_published_at})
        modified = [url["lastmod"] for url in urls]
        if modified and None not in modified:
            self.latest_lastmod = max(modified)
        return urls


class PublicViews(Sitemap):
    """Public views that are not Wagtail pages, each built from the same public querysets their views use."""

    def items(self) -> list[str]:
        paths = [reverse("cookies"), reverse("discovery:solutions"), reverse("sprints:lessons_library")]
        paths.append(reverse("open_data"))
        index = ChallengeIndexPage.objects.live().public().first()
        if index is not None:
            rounds = Round.objects.filter(on_public_challenge("challenges")).distinct().order_by("-call_opens")
            slugs = rounds.values_list("slug", flat=True)
            paths += [reverse("challenges:round", args=[slug]) for slug in slugs]
        solutions = solution_queryset().prefetch_related(None).values_list("pk", flat=True)
        paths += [reverse("discovery:solution", args=[pk]) for pk in solutions]
        companies = company_queryset().prefetch_related(None).values_list("slug", flat=True)
        paths += [reverse("discovery:company", args=[slug]) for slug in companies]
        return paths

    def _urls(self, page, protocol, domain):
        return [{"item": path, "location": absolute(path)} for path in self.paginator.page(page).object_list]


SITEMAPS: dict[str, type[Sitemap]] = {"pages": PublicPages, "views": PublicViews}


@require_GET
def sitemap(request):
    return sitemap_views.sitemap(request, {name: cls(request) for name, cls in SITEMAPS.items()})


# Where search engines need not go: signing in, the admin, and everyone's own work (applications, assessment,
# workspaces, returns, benefits, organisations), plus links that carry a token or act on the visitor's behalf.
PRIVATE_PREFIXES = [
    "/admin/",
    "/accounts/",
    "/_util/",
    "/dashboard/",
    "/organisations/",
    "/invitations/",
    "/applications/",
    "/sponsor/",
    "/assess/",
    "/workspaces/",
    "/returns/",
    "/benefits/",
    "/questions/answer/",
    "/follow/",
    "/alerts/confirm/",
    "/alerts/unsubscribe/",
    "/search/recommended/",
    "/search/similar/",
]


@require_GET
def robots_txt(request):
    return render(
        request,
        "civtech/robots.txt",
        {"private_prefixes": PRIVATE_PREFIXES, "sitemap_url": absolute(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


def _days(seconds: int) -> str:
    days = round(seconds / 86400)
    return f"{days} day{'s' if days != 1 else ''}"


def cookie_list() -> list[dict[str, str]]:
    """Every cookie the site sets, from the settings that name them, so the page cannot drift from the code."""
    return [
        {
            "label": "Signing in",
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in as you move from page to page, and remembers the password of a "
            "protected page once you have given it.",
            "expires": "When you close your browser, or after "
            f"{_days(settings.SESSION_COOKIE_AGE)} if you choose to stay signed in",
        },
        {
            "label": "Form security",
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "Stops another website sending forms to this one pretending to be you (this is called "
            "cross-site request forgery).",
            "expires": f"After {_days(settings.CSRF_COOKIE_AGE)}",
        },
        {
            "label": "Messages",
            "name": CookieStorage.cookie_name,
            "purpose": "Carries a confirmation, such as “Your application has been submitted”, to the next page "
            "you see.",
            "expires": "As soon as the message is shown",
        },
        {
            "label": "Editor menu",
            "name": "wagtail_sidebar_collapsed",
            "purpose": "Only for people who use the editor (the CivTech team and sponsors): remembers whether "
            "you collapsed its menu.",
            "expires": "When you close your browser",
        },
    ]


@require_GET
def cookies(request):
    return render(
        request,
        "civtech/cookies.html",
        {"cookies": cookie_list(), "breadcrumbs": [("Home", "/")]},
    )
