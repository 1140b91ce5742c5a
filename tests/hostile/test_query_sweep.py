"""Hostile query strings on every URL the site answers: never a 500.

What is swept: every pattern in the URL resolver (civtech.urls: ours, Wagtail's admin with its listings, reports,
choosers, snippet and API views, allauth's, the API's with and without format suffixes, the open-data CSVs,
search and autocomplete) and every live page of Wagtail's page tree with each of its routable sub-pages (the
challenge listing, its feed and round pages, the challenge page and its calendar, /impact/, Demo Days). Each
pattern's arguments come from the URL matrix's world (tests/test_url_matrix.py) or, for the libraries' patterns,
from the objects in that world (a page a sponsor may edit, its revision, a document, an image, the first object
of a snippet viewset's model...). A pattern that cannot be requested is named in SKIPPED with the reason:
`test_every_pattern_and_page_is_swept` fails on any other, and on a kind of page of ours with no live page in the
world, so a new URL or page type is swept the day it is added.

Which parameters: the view's own, found by asking it. request.GET is replaced by a QueryDict that records every
name a view (or its form, filterset, paginator, or DRF's query_params) asks for; the sweep sends hostile values
under those names, and again under any new names a hostile request made the view read. COMMON names (q, page,
sort, ordering, round, status, format, p...) go to every URL whatever it reads. The guard at the end of the sweep
scans our code for each `request.GET` / `query_params` read by name and each form, filterset or serializer built
from them: every such name must be one a swept view was seen to read (so a view that reads the query string and
that the sweep does not reach, or reaches without the right person, fails the test). The sweep runs in shards (by
view, so xdist's workers share it); each records the names its views read, and the last shard to finish checks the
guard against all of them.

Which values (HOSTILE, fixed): NUL (alone, inside text, twenty of them), 10,000 characters, odd numbers (-1,
1e309, 29 digits, 2^31, 2^63, NaN, -Infinity, 0x10, " 1", 1.5, "²", Arabic-Indic and full-width digits), other
scripts (Arabic, CJK, emoji with joiners, an RTL override, combining marks, zero-width characters), bytes that are
not UTF-8 (a lone surrogate as %ED%A0%80, an overlong zero, %FF), control characters, empty values, SQL, LIKE,
HTML and template metacharacters, impossible dates, repeated keys and hostile names. A NUL anywhere is refused
(400) before any view by civtech.querystring, so NULs are sent only on their own.

How much, to stay within a few minutes (every request costs a page render):
  * every URL, as every person: one request carrying every COMMON name (and every name the view reads) with the
    values rotated across the names, plus the hostile names;
  * every URL whose view read a name: another rotation, with every name twice (a good-looking value first), and
    when it exports (?export=csv or xlsx), one rotation with each format;
  * every name a view reads: each SHARP value on its own, so that no value hides behind another's 400 — once per
    view for our own views, once per view class for the libraries' (Wagtail's snippet listings share a class),
    with a shorter list (LIBRARY_SHARP).

As whom: anonymous, an applicant, a sponsor, an assessor and programme staff, each with their second factor in
the session as allauth's sign-in records it (see sign_in), and staff with an API token for /api/ (the staff API
takes no session). A person a URL refuses still gets the hostile request:
the refusal (and the sign-in redirect carrying the query) must hold up too.

What must hold: never a 5xx (the test client re-raises a view's exception: that is a 500 too). A bad value is
ignored with the page served (200, often with a message), refused (400), not found (404) or redirected.
Every request runs in a savepoint that is rolled back (a database error cannot poison the next; a GET that
changes something changes nothing for the next).

Every 500 the sweep found is fixed at its cause, with a regression test beside its app's tests.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
import time
import warnings
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.handlers import wsgi
from django.db import transaction
from django.http import QueryDict
from django.http import request as http_request
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import datastructures
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from tests.test_url_matrix import EXPECTED, world  # noqa: F401 (world is the matrix's fixture)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "applicant_a", "sponsor_x", "assessor_assigned", "staff", "staff_token"]
API = "/api/"  # the staff API takes a token, never a session: "staff_token" sweeps the API with one
REPO = Path(__file__).resolve().parents[2]
OUR_APPS = [app for app in settings.INSTALLED_APPS if "." not in app and (REPO / app).is_dir()]


# --- Hostile values ------------------------------------------------------------------------------------------
def text(value: str) -> str:
    return quote(value, safe="")


# (label, value as it goes in the query string): most are text, percent-encoded; a few are raw bytes that are not
# UTF-8. Labels name a failing value in the report without printing 10,000 characters.
HOSTILE = [
    ("NUL", "%00"),
    ("NUL inside", text("abc\x00def")),
    ("20 NULs", "%00" * 20),
    ("10k x", text("x" * 10_000)),
    ("10k é", text("é" * 10_000)),
    ("-1", "-1"),
    ("0", "0"),
    ("1e309", "1e309"),
    ("29 digits", "99999999999999999999999999999"),
    ("2^31", "2147483648"),
    ("2^63", "9223372036854775808"),
    ("NaN", "NaN"),
    ("-Infinity", "-Infinity"),
    ("0x10", "0x10"),
    ("space 1", text(" 1")),
    ("1.5", "1.5"),
    ("superscript two", text("²")),  # isdigit() says yes, int() says no
    ("Arabic-Indic digits", text("١٢٣")),
    ("full-width digits", text("１２３")),
    ("Arabic", text("مرحبا بالعالم")),
    ("CJK", text("漢字検索テスト")),
    ("emoji", text("👩‍👩‍👧‍👦🏴‍☠️")),
    ("RTL override", text("\u202eevil\u202c")),
    ("combining", text("a\u0301\u0302\u0303\u0304")),
    ("zero-width", text("\u200b\u200c\u200d\ufeff")),
    ("lone surrogate", "%ED%A0%80"),
    ("overlong zero", "%C0%80"),  # not UTF-8: decoded as two replacement characters, not as a NUL
    ("not UTF-8", "%FF%FE"),
    ("controls", text("".join(chr(c) for c in [1, 7, 8, 11, 12, 27, 127]))),
    ("empty", ""),
    ("spaces", "+++"),
    ("SQL quote", text("' OR '1'='1")),
    ("SQL drop", text("1; DROP TABLE auth_user; --")),
    ("LIKE wildcards", text("%_%\\")),
    ("HTML", text('"><script>alert(1)</script>')),
    ("template", text("{{ 7|add:7 }}{% debug %}")),
    ("impossible date", "2026-02-30"),
    ("far date", "99999-12-31"),
    ("path", text("../../etc/passwd")),
    ("JSON", text('{"$gt": ""}')),
    ("plus", "+%2B+"),
]
VALUE = dict(HOSTILE)
# A NUL anywhere in a query string is refused before any view (civtech.querystring): a request mixing values
# would then test nothing else, so NULs go only on their own (SHARP), and rotations mix the rest.
MIXED = [(label, value) for label, value in HOSTILE if "NUL" not in label]
# What every name one of our views reads gets on its own; a library's view class gets the shorter list.
SHARP = ["NUL inside", "10k é", "-1", "1e309", "29 digits", "1.5", "superscript two", "lone surrogate", "empty",
         "SQL quote"]  # fmt: skip
LIBRARY_SHARP = ["NUL inside", "10k é", "-1", "1.5", "29 digits", "lone surrogate", "empty"]
# Names sent to every URL whatever it reads: what lists, filters and searches commonly call their parameters.
COMMON = ["q", "page", "p", "sort", "order", "ordering", "challenge", "round", "sector", "status", "format",
          "sponsor", "search", "limit", "offset", "next", "id", "type", "export", "stage", "locale"]  # fmt: skip
EXPORTS = ["csv", "xlsx"]  # what Wagtail's listings and the portfolio export as (?export=)
HOSTILE_NAMES = [text("x" * 1000), "%ED%A0%80", "%C0%80", text("page[]"), "__proto__", text("\u202eq")]


# --- Recording which names a view reads --------------------------------------------------------------------------
INTERNAL = {datastructures.__file__, http_request.__file__}  # QueryDict's own code reading itself


class RecordingQueryDict(QueryDict):
    """request.GET that remembers the names asked for ("*": the whole query was read, e.g. copied into links)."""

    reads: set[str] | None = None

    @staticmethod
    def _saw(name):
        caller = sys._getframe(2).f_code.co_filename  # who asked: a view, or QueryDict itself
        if RecordingQueryDict.reads is not None and isinstance(name, str) and caller not in INTERNAL:
            RecordingQueryDict.reads.add(name)

    def __getitem__(self, key):
        self._saw(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._saw(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._saw(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._saw(key)
        return super().getlist(key, default)

    def _whole(name):  # builds the methods below
        def method(self, *args, **kwargs):
            self._saw("*")
            return getattr(QueryDict, name)(self, *args, **kwargs)

        return method

    for _name in ("items", "lists", "keys", "values", "dict", "copy", "urlencode", "__iter__"):
        locals()[_name] = _whole(_name)
    del _name, _whole


def parameters(reads: set[str]) -> set[str]:
    """The query names among what was read (a template's `{{ query.urlencode }}` looks up "urlencode" first)."""
    return {name for name in reads if name != "*" and not hasattr(QueryDict, name)}


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.setattr(wsgi, "QueryDict", RecordingQueryDict)  # request.GET, and only request.GET


# --- Signing in --------------------------------------------------------------------------------------------------
def sign_in(client, user) -> None:
    """The project's client signs in as allauth's full flow would: with the second factor recorded in the session
    for anyone who has one (tests/clients.py)."""
    client.logout()
    if user is not None:
        client.force_login(user)


# --- What is swept -----------------------------------------------------------------------------------------------
@dataclass
class Target:
    label: str  # the pattern's name (and route, when it takes arguments), or "page <model> [route] <url>"
    url: str
    view: str  # names are swept on their own once per view: see identity()
    ours: bool = True  # our view, or a library's view over our filterset


# Patterns that are not swept, and why (the guard accepts a pattern whose label starts with a key here).
SKIPPED = {
    "wagtail_serve": "Wagtail's page tree: every live page and routable sub-page is swept by its own URL",
    "admin/^.*/$": "Wagtail's catch-all 404 inside the admin, the same view as admin/test404/, which is swept",
    "accounts/social/": "allauth's permanent redirects to /accounts/3rdparty/, which is swept",
    "openid_connect_": "present only when OIDC_* is configured",
    "wagtailadmin_error_test": "Wagtail's deliberate 500 (/admin/failwhale/), for trying out error reporting",
}


def walk(resolver=None, prefix="", namespace=None):
    """(label, name, route, callback, keyword names, positional count) for every pattern in the resolver."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(x for x in (namespace, pattern.namespace) if x) if pattern.namespace else namespace
            yield from walk(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            regex = pattern.pattern.regex
            yield (
                name or route,
                name,
                route,
                pattern.callback,
                set(regex.groupindex),
                regex.groups - len(regex.groupindex),
            )


def view_class(callback):
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def view_model(callback):
    """The model a class-based view (Wagtail's viewsets, DRF's) works on, if it says."""
    initkwargs = getattr(callback, "view_initkwargs", None) or getattr(callback, "initkwargs", None) or {}
    cls = view_class(callback)
    model = initkwargs.get("model") or getattr(cls, "model", None)
    if model is None and getattr(cls, "queryset", None) is not None:
        model = cls.queryset.model
    return model if isinstance(model, type) else None


def is_ours(callback) -> bool:
    initkwargs = getattr(callback, "view_initkwargs", None) or {}
    return any(
        getattr(thing, "__module__", "").split(".")[0] in OUR_APPS
        for thing in (view_class(callback) or callback, initkwargs.get("filterset_class"))
    )


def identity(callback) -> str:
    """Names are swept one by one once per view: each of ours (a pattern and its format-suffix twin are one view; an
    API viewset's list and detail share their filters), each of the libraries' view classes (Wagtail's twelve
    snippet listings are one class over twelve models) and each action of a library's viewset."""
    cls = view_class(callback) or callback
    if is_ours(callback) and not hasattr(callback, "actions"):
        return f"{callback.__module__}.{callback.__qualname__} {id(callback)}"
    if not is_ours(callback) and hasattr(callback, "actions"):
        # A library's viewset answers each action with its own code (the admin API's listing and its find view,
        # which int()ed ?id=): each is swept on its own.
        return f"{cls.__module__}.{cls.__qualname__} {sorted(callback.actions.values())}"
    return f"{cls.__module__}.{cls.__qualname__}"


@dataclass
class World:
    args: dict  # the matrix's arguments
    page: Page  # a challenge its sponsor may edit
    space: Page  # its parent, the sponsor's space
    objects: dict  # keyword → a value for it


def build_world(people, args) -> World:
    from django.core.files.base import ContentFile
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file
    from wagtail.models import Collection, Task, Workflow

    from challenges.models import ChallengePage

    page = ChallengePage.objects.get(pk=args["challenge"]["pk"])
    add_a_page_of_every_kind()
    revision = page.save_revision(user=people["staff"])  # a draft to view, compare and revert
    sponsor = people["sponsor_x"]  # their own files: what the choosers list to a sponsor
    document = Document.objects.create(
        title="Plan", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf"), uploaded_by_user=sponsor
    )
    image = Image.objects.create(title="Logo", file=get_test_image_file(), uploaded_by_user=sponsor)
    redirect = Redirect.objects.create(old_path="/old-path", redirect_link="/challenges/")
    objects = {
        "revision_id": revision.pk,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "collection_id": Collection.get_first_root_node().pk,
        "document_id": document.pk,
        "doc_id": document.pk,
        "image_id": image.pk,
        "redirect_id": redirect.pk,
        "task_id": Task.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "workflow_pk": Workflow.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "content_type_app_name": "challenges",
        "content_type_model_name": "challengepage",
        "app_label": "challenges",
        "app_name": "challenges",
        "model_name": "challengepage",
        "action_name": "approve",
        "action": "delete",
        "object_id": str(page.pk),
        "uidb64": "MQ",
        "uidb36": "1",
        "token": "not-a-token",
        "key": "not-a-key",
        "format": "json",
        "filter_spec": "fill-100x100",
        "document": document,
    }
    return World(args, page, page.get_parent(), objects)


def add_a_page_of_every_kind():
    """What the matrix's world lacks: an editorial page, a Demo Day (and /events/), /impact/, the news index and a
    story."""
    import json

    from cms.models import HomePage, NewsIndexPage, NewsPage, StandardPage
    from impact.models import ImpactPage
    from tests.factories import make_demo_day

    body = json.dumps([{"type": "paragraph", "value": "<p>Words.</p>"}])
    home = HomePage.objects.get()
    home.add_child(instance=StandardPage(title="About", slug="about", body=body)).save_revision().publish()
    make_demo_day()
    home.add_child(instance=ImpactPage(title="Our impact", slug="impact")).save_revision().publish()
    news = home.add_child(instance=NewsIndexPage(title="News", slug="news"))
    news.save_revision().publish()
    story = NewsPage(title="A story", summary="In brief.", body=body)
    story.tags.add("health")
    news.add_child(instance=story)
    story.save_revision().publish()


PAGE_KEYWORDS = {"page_id", "parent_page_id", "page_to_move_id", "page_pk"}
# Per pattern, where a keyword means something else than elsewhere.
OVERRIDES = {
    "wagtailsettings:edit": {"app_name": "cms", "model_name": "sitesettings"},
    "wagtailsettings:preview_on_edit": {"app_name": "cms", "model_name": "sitesettings"},
    "wagtail_bulk_action": {"app_label": "wagtailcore", "model_name": "page"},
    "wagtailadmin_workflows:add_task": {"app_label": "wagtailcore", "model_name": "groupapprovaltask"},
    "wagtailadmin_editing_sessions:ping": {"app_label": "wagtailcore", "model_name": "page"},
}


def arguments(name, keywords, positional, callback, w: World):
    """The arguments for a named pattern, or None when there is nothing to give it."""
    if positional:
        if name == "wagtaildocs_serve":
            return [w.objects["document"].pk, w.objects["document"].filename]
        return None
    kwargs = dict(w.args[EXPECTED[name][0]]) if name in EXPECTED else {}
    override = OVERRIDES.get(name, {})
    for keyword in sorted(keywords - set(kwargs)):
        if keyword in override:
            kwargs[keyword] = override[keyword]
        elif keyword in PAGE_KEYWORDS:
            kwargs[keyword] = w.page.pk
        elif keyword == "destination_id":
            kwargs[keyword] = w.space.pk
        elif keyword == "pk":
            model = view_model(callback)
            if model is None or issubclass(model, Page) or name.startswith("wagtailadmin_pages:"):
                kwargs[keyword] = w.page.pk
            else:
                first = model._default_manager.order_by("pk").first()
                kwargs[keyword] = first.pk if first is not None else 999_999
        elif keyword in w.objects:
            kwargs[keyword] = w.objects[keyword]
        elif keyword.endswith("_id"):
            kwargs[keyword] = 999_999  # nothing of the kind in the world: the view's 404 is swept
        else:
            return None
    return kwargs


def resolver_targets(w: World) -> tuple[list[Target], list[str]]:
    """Every pattern with a URL, and the labels of those that have none (the guard wants that empty)."""
    targets, unbuilt = [], []
    for label, name, route, callback, keywords, positional in walk():
        if any(label.startswith(prefix) for prefix in SKIPPED):
            continue
        if name is None:
            if keywords or positional or "^" in route:
                unbuilt.append(label)
            else:
                targets.append(Target(label, "/" + route, identity(callback), is_ours(callback)))
            continue
        given = arguments(name, keywords, positional, callback, w)
        if given is None:
            unbuilt.append(label)
            continue
        url = reverse(name, args=given) if isinstance(given, list) else reverse(name, kwargs=given)
        full = f"{label} {route}" if keywords or positional else label
        targets.append(Target(full, url, identity(callback), is_ours(callback)))
    return targets, unbuilt


def page_targets() -> list[Target]:
    """Every live page, and each routable page's sub-pages."""
    from challenges.models import Round

    targets = []
    round_slug = Round.objects.filter(challenges__live=True).values_list("slug", flat=True).first()
    for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
        url, kind = page.url, type(page).__name__
        if url is None:
            continue
        if not isinstance(page, RoutablePageMixin):
            targets.append(Target(f"page {kind} {url}", url, f"page {kind}"))
            continue
        for pattern in page.get_resolver().url_patterns:
            keywords = set(pattern.pattern.regex.groupindex)
            kwargs = {"slug": round_slug} if keywords == {"slug"} else {}
            if set(kwargs) == keywords:
                sub = page.reverse_subpage(pattern.name, kwargs=kwargs)
                targets.append(Target(f"page {kind} {pattern.name} {url}", url + sub, f"page {kind} {pattern.name}"))
    return targets


def all_targets(w: World) -> tuple[list[Target], list[str]]:
    targets, unbuilt = resolver_targets(w)
    seen, unique = set(), []
    for target in targets + page_targets():  # a routable page's index route is its listing: one URL, once
        if target.url not in seen:
            seen.add(target.url)
            unique.append(target)
    return unique, unbuilt


@pytest.fixture
def site(request):
    people, args = request.getfixturevalue("world")
    targets, unbuilt = all_targets(build_world(people, args))
    return people, targets, unbuilt


# --- Requesting --------------------------------------------------------------------------------------------------
@dataclass
class Sweep:
    client: object
    failures: dict = field(default_factory=dict)  # (URL, what went wrong) → an example and the requests
    requests: int = 0
    reads: set = field(default_factory=set)  # every name any view read
    swept: dict = field(default_factory=dict)  # view identity → names already swept one by one
    role: str = ""
    cookie: str = ""

    def get(self, target: Target, pairs, what: str) -> set[str]:
        """GET target with `pairs` as its query; a 5xx or an exception is noted. Returns the names the view read."""
        cache.clear()  # rate limits and the public page cache: every request reaches the view
        RecordingQueryDict.reads = set()
        self.requests += 1
        query = "&".join(f"{name}={value}" for name, value in pairs)
        try:
            with transaction.atomic():  # a savepoint: each request starts from the same world
                response = self.client.get(target.url + ("?" + query if query else ""))
                if getattr(response, "streaming", False):
                    b"".join(response.streaming_content)  # an export fails while it streams, if it fails
                transaction.set_rollback(True)
            if response.status_code >= 500:
                self.failed(target, f"answered {response.status_code}", "", what)
        except Exception as error:  # noqa: BLE001 - every failure is collected and reported together
            self.failed(target, f"raised {type(error).__name__}", str(error)[:160], what)
        finally:
            reads, RecordingQueryDict.reads = RecordingQueryDict.reads, None
        session = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if self.cookie and (session is None or session.value != self.cookie):
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.cookie  # a sign-out, rolled back: still signed in
        self.reads |= reads
        return reads

    def failed(self, target: Target, kind: str, detail: str, what: str):
        found = self.failures.setdefault((target.label, kind), {"detail": detail, "requests": []})
        found["requests"].append(f"{self.role}: {what}")

    def report(self) -> str:
        return "\n".join(
            f"{label}: {kind} ({len(found['requests'])} requests, e.g. {'; '.join(found['requests'][:3])})\n"
            f"    {found['detail']}"
            for (label, kind), found in sorted(self.failures.items())
        )

    def rotation(self, target: Target, names, offset: int, what: str, extra=(), twice=False) -> set[str]:
        """Every name at once, each with a different value (which value goes where shifts with `offset`); with
        `twice`, each name comes twice, first with a good-looking value."""
        n = len(MIXED)
        pairs = [
            pair
            for j, name in enumerate(names)
            for pair in [*([(text(name), "1")] if twice else []), (text(name), MIXED[(offset + j) % n][1])]
        ]
        return self.get(target, [*pairs, *extra], f"{what} (every name, rotation {offset % n})")

    def sweep(self, target: Target, offset: int) -> bool:
        """Whether the view read the query string (and so was swept further)."""
        hostile_names = [(name, "x") for name in HOSTILE_NAMES]
        reads = self.rotation(target, COMMON, offset, "first", hostile_names)
        names = parameters(reads)
        if not names and "*" not in reads:
            return False  # reads nothing (or refused before reading): nothing more to try
        every = sorted(names | set(COMMON))
        names |= parameters(self.rotation(target, every, offset + 13, "second, every name twice", twice=True))
        if "export" in names:  # the export itself runs only for a format it knows: hostile filters on each
            others = [name for name in every if name != "export"]
            for fmt in EXPORTS:
                names |= parameters(self.rotation(target, others, offset + 29, f"{fmt} export", [("export", fmt)]))
        swept = self.swept.setdefault(target.view, set())
        while pending := sorted(names - swept):
            for name in pending:
                for label in SHARP if target.ours else LIBRARY_SHARP:
                    names |= parameters(self.get(target, [(text(name), VALUE[label])], f"{name} = {label}"))
            swept.update(pending)
        return True


def sweep_as(s: Sweep, people, targets, role) -> dict:
    """Sweep `targets` as `role`; returns how much it took."""
    started, before = time.monotonic(), s.requests
    s.role = role
    s.client.defaults.pop("HTTP_AUTHORIZATION", None)
    sign_in(s.client, None if role in ("anonymous", "staff_token") else people[role])
    session = s.client.cookies.get(settings.SESSION_COOKIE_NAME)
    s.cookie = session.value if session is not None and role not in ("anonymous", "staff_token") else ""
    if role == "staff_token":
        from rest_framework.authtoken.models import Token

        s.client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=people['staff'])[0].key}"
        targets = [target for target in targets if target.url.startswith(API)]
    offset = ROLES.index(role) * 7
    reading = sum(s.sweep(target, offset + index * 3) for index, target in enumerate(targets))
    return {"URLs": len(targets), "reading the query": reading, "requests": s.requests - before,
            "seconds": round(time.monotonic() - started)}  # fmt: skip


# The sweep is the suite's longest test: it is cut into shards by view (a view's names are swept one by one once, so
# a view's URLs stay in one shard), which xdist's workers take in parallel. Each shard sweeps its views as everyone.
SHARDS = 3


def shard_key(target: Target) -> str:
    """The view's identity without the object's address that tells our views apart within one process (identity()):
    every xdist worker builds its own targets, so the shards must be cut by names alone, or each worker would cut
    them differently and sweep some views twice and others never."""
    return re.sub(r" \d+$", "", target.view)


def shard_of(target: Target) -> int:
    return zlib.crc32(shard_key(target).encode()) % SHARDS  # crc32 is the same in every process; hash() is not


@pytest.fixture
def reads_folder(tmp_path_factory) -> Path:
    """A folder every worker of this run shares (xdist gives each worker its own base under the run's)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "query-sweep-reads"
    folder.mkdir(exist_ok=True)
    return folder


def shards_read(folder: Path, shard: int, reads: set[str]) -> set[str] | None:
    """Record what this shard's views read; the union of every shard's, once all have recorded (else None: a shard
    still sweeping will check). Whichever shard records last sees every file, its own written before it looks."""
    partial = folder / f"{shard}.tmp"
    partial.write_text(json.dumps(sorted(reads)))
    os.replace(partial, folder / f"{shard}.json")  # whole or absent, never half-written
    files = [folder / f"{n}.json" for n in range(SHARDS)]
    if not all(file.exists() for file in files):
        return None
    return set().union(*(json.loads(file.read_text()) for file in files))


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_query_string_makes_a_500(request, client, recording, site, shard, reads_folder):
    people, every_target, _ = site
    targets = [target for target in every_target if shard_of(target) == shard]
    s = Sweep(client)
    for role in ROLES:
        print(role, sweep_as(s, people, targets, role))
    pages = sum(target.label.startswith("page ") for target in targets)
    print(f"shard {shard}: {len(targets)} URLs ({pages} of them pages), {len(parameters(s.reads))} parameter names "
          f"read, {sum(len(names) for names in s.swept.values())} (view, name) pairs swept one by one, "
          f"{s.requests} requests")  # fmt: skip
    every_read = shards_read(reads_folder, shard, s.reads)
    assert not s.failures, f"{len(s.failures)} kinds of 500:\n{s.report()}"
    if every_read is None:
        selected = {item.name for item in request.session.items if item.originalname == request.node.originalname}
        if len(selected) < SHARDS:  # -k or --lf picked some shards only: say that the guard cannot run
            warnings.warn(f"only {sorted(selected)} of the sweep's shards ran: no read-names guard", stacklevel=1)
        return  # another shard is still sweeping: the last to finish checks the names below
    expected = names_read_in_our_code()
    assert {"q", "page", "round", "status", "challenge"} <= set(expected), "the scan finds nothing"
    unswept = {
        name: sorted(where)
        for name, where in expected.items()
        if name not in every_read and not any(n.startswith(name + "_") for n in every_read)  # ranges: name_after...
    }
    assert unswept == {}, "no view the sweep requests reads these names: sweep the one that does (see SKIPPED)"


def test_the_shards_share_the_views_out(site):
    """Every URL is in exactly one shard, each shard has a fair part of the views, and a view's URLs share one."""
    _, targets, _ = site
    by_shard = [[target for target in targets if shard_of(target) == shard] for shard in range(SHARDS)]
    assert sum(map(len, by_shard)) == len(targets)
    assert all(len(part) > len(targets) / (SHARDS * 2) for part in by_shard), [len(part) for part in by_shard]
    views = [{target.view for target in part} for part in by_shard]
    assert all(not (a & b) for i, a in enumerate(views) for b in views[i + 1 :])
    # Cut by names only: an object's address in a key would cut the shards differently in each worker.
    ours = [target for target in targets if re.search(r" \d+$", target.view)]
    assert ours and all(shard_key(target) != target.view for target in ours)


def test_every_pattern_and_page_is_swept(site):
    from django.apps import apps

    _, targets, unbuilt = site
    assert unbuilt == [], "give these patterns arguments (arguments()) or say in SKIPPED why they are not swept"
    assert len(targets) > 300
    swept = {label.split()[1] for label in (target.label for target in targets) if label.startswith("page ")}
    ours = {
        model.__name__ for model in apps.get_models() if issubclass(model, Page) and model._meta.app_label in OUR_APPS
    }
    assert ours - swept == set(), "add a live page of these kinds to the world (add_a_page_of_every_kind)"


# --- The guard: every GET read in our code is swept ---------------------------------------------------------------
READ_BY_NAME = re.compile(
    r"""(?:request\.GET|query_params)(?:\.get|\.getlist|\.pop)?[\[(]\s*["']([^"']+)["']"""
    r"""|["']([^"']+)["']\s+(?:not\s+)?in\s+(?:self\.)?request\.(?:GET|query_params)"""
)
BUILT_FROM_QUERY = re.compile(r"(\w+)\(\s*(?:data=)?(?:self\.)?(?:request\.GET|request\.query_params)\b")
FILTERSET_CLASS = re.compile(r"filterset_class\s*=\s*([\w.]+)")


def names_read_in_our_code() -> dict[str, set[str]]:
    """name → where our code reads it from a query string: by name, or as a field of a form, filterset or
    serializer built from request.GET, or of a view's filterset_class."""
    found: dict[str, set[str]] = {}
    for app in OUR_APPS:
        for path in (REPO / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text()
            where = str(path.relative_to(REPO))
            for match in READ_BY_NAME.finditer(source):
                found.setdefault(match[1] or match[2], set()).add(where)
            classes = BUILT_FROM_QUERY.findall(source) + FILTERSET_CLASS.findall(source)
            if not classes:
                continue
            module = importlib.import_module(".".join(path.relative_to(REPO).with_suffix("").parts))
            for dotted in classes:
                cls = module
                for part in dotted.split("."):
                    cls = getattr(cls, part, None)
                fields = getattr(cls, "base_fields", None) or getattr(cls, "base_filters", None)
                if fields is None and hasattr(cls, "_declared_fields"):
                    fields = cls._declared_fields
                for name in fields or ():
                    found.setdefault(name, set()).add(f"{where} ({dotted})")
    return found
