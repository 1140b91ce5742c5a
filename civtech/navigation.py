"""The site's navigation: the service's sections, each person's own places, and breadcrumb trails.

Kept in one table each, so the header, the dashboard and the breadcrumbs agree and a new page is one line here.
Only URL names and paths appear: no app is imported, and the roles come from `accounts.roles`, which every
request has already read (RequireMFAMiddleware), so the header costs no query.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from accounts.roles import Role, is_programme_staff, user_roles


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: str = ""  # aria-current: "page" on the page itself, "true" anywhere inside its section


# --- The header ----------------------------------------------------------------------------------
# The public sections, in the header's order. Challenges, Impact, Events and News are pages of the Wagtail tree
# (the seeded /challenges/, /impact/, /events/ and /news/); Solutions and Search are views.
SECTIONS = (
    ("Challenges", "/challenges/"),
    ("Impact", "/impact/"),
    ("Solutions", "discovery:solutions"),
    ("Events", "/events/"),
    ("News", "/news/"),
    ("Search", "discovery:search"),
)

# Each role's own work, after "Your account". A person with several roles sees each place once.
YOUR_CHALLENGES_ANCHOR = "your-challenges"  # the sponsor's section of the dashboard
ROLE_PLACES: tuple[tuple[frozenset[Role], str, str], ...] = (
    (frozenset({Role.APPLICANT}), "Your applications", "applications:list"),
    (frozenset({Role.SPONSOR}), "Your challenges", f"accounts:dashboard#{YOUR_CHALLENGES_ANCHOR}"),
    (frozenset({Role.SPONSOR}), "Applications received", "applications:sponsor_dashboard"),
    (frozenset({Role.SPONSOR, Role.ASSESSOR}), "Assessments", "applications:assess_queue"),
)
# Programme staff's work is in the admin.
STAFF_PLACES = (
    ("Evaluation", "evaluation:index"),
    ("Portfolio", "sprints_portfolio"),
    ("Impact report", "impact_report:index"),
    ("Admin", "wagtailadmin_home"),
)


def _url(target: str) -> str:
    """A path as it is, or a URL name (optionally with a #fragment) reversed."""
    if target.startswith("/"):
        return target
    name, _, fragment = target.partition("#")
    return reverse(name) + (f"#{fragment}" if fragment else "")


def _link(label: str, target: str, path: str) -> Link:
    url = _url(target)
    if "#" in url:  # a place within a page is never "the current page"
        current = ""
    elif path == url:
        current = "page"
    elif url != "/" and path.startswith(url):
        current = "true"
    else:
        current = ""
    return Link(label, url, current)


def section_links(path: str) -> list[Link]:
    return [_link(label, target, path) for label, target in SECTIONS]


def personal_links(request) -> list[Link]:
    """Signed in: "Your account", the places of the person's roles, "Sign out". Otherwise: sign in or create an
    account, coming back to this page afterwards."""
    user, path = request.user, request.path
    if not user.is_authenticated:
        if path.startswith("/accounts/"):
            back = request.GET.get("next", "")  # already on an account page: keep where they were going
        else:
            back = "" if path == "/" else request.get_full_path()
        query = f"?{urlencode({'next': back})}" if back else ""
        return [
            Link("Sign in", reverse("account_login") + query, "page" if path == reverse("account_login") else ""),
            Link(
                "Create an account",
                reverse("account_signup") + query,
                "page" if path == reverse("account_signup") else "",
            ),
        ]
    roles = user_roles(user)
    places = [("Your account", "accounts:dashboard")]
    places += [(label, target) for wanted, label, target in ROLE_PLACES if roles & wanted]
    if is_programme_staff(user):
        places += STAFF_PLACES
    places.append(("Sign out", "account_logout"))
    return [_link(label, target, path) for label, target in places]


# --- Breadcrumbs -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Crumb:
    """A page's place in the trail.

    label   its name: the trail's last, unlinked item on the page itself (unless `named=False`, for pages whose
            own name is their data: the trail then stops at the page above), and the link text below it
    up      the URL name of the page above, or None for the home page
    args    the URL arguments the page above takes from this page's (by name)
    """

    label: str
    up: str | None = None
    args: tuple[str, ...] = ()
    named: bool = True


ACCOUNT = "accounts:dashboard"
# Pages that set their own breadcrumbs (Wagtail pages, the challenge pages, workspaces, discovery) are not here.
TRAILS: dict[str, Crumb] = {
    ACCOUNT: Crumb("Your account"),
    # organisations
    "organisations:list": Crumb("Your organisations", ACCOUNT),
    "organisations:create": Crumb("Register an organisation", ACCOUNT),
    "organisations:detail": Crumb("Organisation", ACCOUNT, named=False),
    "organisations:invite": Crumb("Invite someone", "organisations:detail", ("slug",)),
    "organisations:invitation_accept": Crumb("Join an organisation"),  # often opened before signing in
    # applying
    "applications:list": Crumb("Your applications", ACCOUNT),
    "applications:start": Crumb("Start an application", "applications:list"),
    "applications:overview": Crumb("Your application", "applications:list", named=False),
    "applications:section": Crumb("Section", "applications:overview", ("pk",), named=False),
    "applications:attachments": Crumb("Attachments", "applications:overview", ("pk",)),
    "applications:check": Crumb("Check your answers", "applications:overview", ("pk",)),
    "applications:submitted": Crumb("Application sent", "applications:overview", ("pk",)),
    "applications:withdraw": Crumb("Withdraw", "applications:overview", ("pk",)),
    "applications:version": Crumb("Submitted version", "applications:overview", ("pk",), named=False),
    # sponsors and assessors
    "applications:sponsor_dashboard": Crumb("Applications to your challenges", ACCOUNT),
    "applications:sponsor_application": Crumb("Application", "applications:sponsor_dashboard", named=False),
    "applications:assess_queue": Crumb("Applications to assess", ACCOUNT),
    "applications:assess_declare": Crumb("Declare conflicts of interest", "applications:assess_queue"),
    "applications:assess_score": Crumb("Score", "applications:assess_queue", named=False),
    "challenges:answer_list": Crumb("Questions to answer", ACCOUNT),
    "challenges:answer": Crumb("Answer a question", "challenges:answer_list"),
    # impact returns and benefits
    "impact:returns": Crumb("Your impact returns", ACCOUNT),
    "impact:return": Crumb("Impact return", "impact:returns", named=False),
    "impact:return_correct": Crumb("Correct a return", "impact:return", ("pk",)),
    "impact:benefits": Crumb("Benefits", ACCOUNT),
    "impact:benefit_new": Crumb("Record a benefit", "impact:benefits"),
    "impact:benefit": Crumb("Benefit", "impact:benefits", named=False),
    "impact:benefit_evidence": Crumb("Evidence", "impact:benefit", ("pk",)),
    # workspaces (each workspace page sets its own trail, under this one)
    "sprints:list": Crumb("Your workspaces", ACCOUNT),
    "sprints:pitch_decision": Crumb("Decide who goes to the accelerator", "sprints:list"),
    # public pages that are views, not pages of the Wagtail tree
    "sprints:lessons_library": Crumb("Lessons learned"),
    "challenges:alert_subscribe": Crumb("Challenge alerts"),
    "open_data": Crumb("Open data"),
}


@dataclass(frozen=True)
class Trail:
    links: list[tuple[str, str]]
    current: str


def breadcrumb_trail(request) -> Trail | None:
    """The trail from the home page to this page, or None for a page not in TRAILS."""
    match = getattr(request, "resolver_match", None)
    crumb = TRAILS.get(match.view_name) if match else None
    if match is None or crumb is None:
        return None
    links: list[tuple[str, str]] = []
    kwargs = match.kwargs
    up, args = crumb.up, crumb.args
    while up is not None:
        above = TRAILS[up]
        kwargs = {name: kwargs[name] for name in args}
        links.insert(0, (above.label, reverse(up, kwargs=kwargs)))
        up, args = above.up, above.args
    return Trail([("Home", "/"), *links], crumb.label if crumb.named else "")
