"""Hostile POSTs to every form on the site: never a 500, always a clear message, nothing the person typed lost.

How the sweep finds the forms: tests/test_url_matrix.py builds a world (a closed call with a submitted
application, assessors, an accelerator workspace, returns, benefits, contracts, exports) and says, for every URL
× person, who may open it. `test_every_post_form_in_the_world_is_swept` opens every page as every person the
matrix lets in and reads each `<form method="post">` off the HTML (a small html.parser); every form it finds must
be swept below, as some person who sees it (FORM_PAGES), or be named in SKIPPED with a reason. A few forms only
appear in states the matrix world is not in (a call still open, an exploration-stage pitch, a submitted return, a
fresh invitation...): `more_site` and `open_site` below build those, and `account_site` has allauth's pages.
Wagtail's admin is in the matrix as one rule; the editing forms our models bring into it (snippets, the
challenge page editor) are swept too, and the guard checks every snippet model's add and edit pages.

How each form is swept: the page is opened as that person, its post forms are read, and for each form
hypothesis posts dictionaries over the form's field names (plus unknown names) whose values are hostile: empty,
whitespace, 10,000 characters, RTL/zero-width/control characters and NUL (PostgreSQL refuses NUL in text: the
site must still answer), numbers as strings (negative, huge, 1e309, NaN), impossible or oddly formatted dates,
HTML/template/SQL injection, lists for single-value fields, ids of other people's objects and of none, and
hostile files for file fields (on Wagtail's editing pages the hidden inputs Wagtail's own scripts manage keep the
page's values: see is_tame). Forms without an enctype are posted urlencoded, as a browser would. Every example
runs in a savepoint that is rolled back, so each starts from the same world (and a database error inside one
cannot poison the next).

What must hold for every answer:
  * never a 5xx (the test client re-raises a view's exception: that is a 500 too);
  * a 200 HTML answer to a POST is the form again, and it says what is wrong (error summary, field error or an
    error notification); a success redirects;
  * nothing lost: on that re-rendered form, every short plain text the person typed into an ordinary text input
    or textarea is shown again. (Not checked for passwords, which are never echoed; files, which a browser
    cannot be given back; choices, hidden fields and buttons, which are not typed; number and date inputs,
    where a browser cannot send letters; and when a hidden field or button that picks one of several forms on
    a page was tampered with, since the view then answers for another form.)

`test_uploads_refuse_hostile_files` sends the large or crafted files the sweep does not (21 MB, zip bomb, a
zip posing as DOCX, text posing as PDF, an executable, a path in the name) to every upload form other than the
application attachments page, which tests/applications/test_uploads.py already covers the same way.

Every 500 the sweep has found is fixed, with a regression test beside its app's tests (test_hostile_input.py).
HOSTILE_EXAMPLES=250 makes a longer hunt
(12 examples per form by default, to keep this file near two minutes).
"""

from __future__ import annotations

import html
import io
import os
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache as memoise
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from wagtail.snippets.models import get_snippet_models

from accounts.roles import Role
from applications.models import Application
from applications.services import application_submit, attachment_add
from applications.services.assessment import assignment_create
from challenges.models import ChallengePage, Round, Sector
from challenges.services import alert_subscribe, alert_token
from formbuilder.blocks import stream_data
from formbuilder.models import ApplicationForm
from formbuilder.questions import FormSpec
from impact.services.returns import return_submit
from organisations.models import Invitation, Organisation, hash_token
from pipelines.models import PipelineTemplate
from sprints.models import Engagement
from sprints.services import pitch_submit
from tests.factories import (
    ALL_DECLARED,
    GOOD_RETURN,
    PublicBodyFactory,
    UserFactory,
    add_pitch_criteria,
    make_applicant,
    make_application,
    make_challenge,
    make_demo_day,
    make_engagement,
    make_impact_return,
    make_round,
)
from tests.test_url_matrix import EXPECTED, OK, ROLES, world  # noqa: F401 (world is the matrix's fixture)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "12"))  # hostile POSTs per form (more: a longer hunt)
PHASES = [Phase.explicit, Phase.generate, Phase.shrink]  # no "explain" phase: it costs minutes on a failure
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- Reading forms off a page ------------------------------------------------------------------------
@dataclass
class Field:
    name: str
    kind: str  # the input's type, or "select", "textarea", "button"
    options: list[str] = field(default_factory=list)  # choices, or a hidden field's / button's own value(s)
    initial: str = ""  # what the page fills in (the value, checked choice, selected option or textarea's text)


@dataclass
class Form:
    action: str  # a path
    multipart: bool
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def target(self) -> str:
        try:
            return resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            return self.action

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return self.target, tuple(sorted(self.fields))


class FormReader(HTMLParser):
    """Every `<form method="post">` on a page: its action and its named inputs, selects, textareas, buttons."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.form, self.select, self.option_text, self.textarea = url, [], None, None, False, None
        self.in_template = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "template":  # rows a script may add (formsets' empty forms): a browser does not send them
            self.in_template += 1
        if self.in_template:
            return
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = a.get("action") or self.url
                self.form = Form(action=action, multipart="multipart" in a.get("enctype", ""))
                self.forms.append(self.form)
            return
        if tag == "option" and self.select is not None:
            if "value" in a:
                self.select.options.append(a["value"])
                self.select.initial = a["value"] if "selected" in a else self.select.initial
            else:  # <option> without a value: its text is the value
                self.option_text = True
            return
        if self.form is None or not a.get("name") or "disabled" in a or a["name"] == "csrfmiddlewaretoken":
            return
        kind = {"input": a.get("type", "text").lower(), "select": "select", "textarea": "textarea"}.get(tag)
        if tag == "button":
            kind = "button" if a.get("type", "submit").lower() == "submit" else None
        if kind is None:
            return
        known = self.form.fields.setdefault(a["name"], Field(a["name"], kind))
        if kind in ("radio", "checkbox", "hidden", "button", "submit") and "value" in a:
            known.options.append(a["value"])
        if kind not in ("radio", "checkbox", "button", "submit", "file") or "checked" in a:
            known.initial = a.get("value", "")
        if tag == "select":
            self.select = known
        elif tag == "textarea":
            self.textarea = known

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1
        elif tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.initial += data.removeprefix("\n") if not self.textarea.initial else data
        if self.option_text:
            self.select.options.append(data.strip())
            self.option_text = False


def post_forms(response, url: str) -> list[Form]:
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    reader = FormReader(url)
    reader.feed(response.content.decode())
    return reader.forms


# --- Hostile values ------------------------------------------------------------------------------------
OMIT = object()  # leave the field out of the POST altogether
# What a person might type: the "nothing lost" check looks for exactly these on a re-rendered form.
PLAIN = re.compile(r"Kept [a-z]{5,10}( [a-z]{2,8}){0,2}")
plain = st.from_regex(PLAIN, fullmatch=True)


class Long(str):
    """A long hostile string that prints short in hypothesis's report of a failing example."""

    def __repr__(self):
        return f"<{len(self)} characters: {self[:8]!r}...>"


CONTROL = "".join(chr(c) for c in [*range(1, 9), 11, 12, *range(14, 32), 127])  # no NUL: that has its own
hostile_text = st.sampled_from(
    [
        "", " ", "   \t\n  ", "\r\n\r\n", Long("x" * 10_000), Long("é" * 10_000), Long("word " * 2_000),
        Long("a\nb" * 3_000),
        "\u202eevil\u202c", "\u200b", "\u200b\u200c\u200d\ufeff", "\ufeffBOM", "a\u0301\u0302\u0303",
        "👩‍👩‍👧‍👦🏴‍☠️", "Ω≈ç√∫˜µ≤", CONTROL, "abc\x00def", "\x00", "\x00" * 20,
        "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ request.user.password }}",
        "{% debug %}", "${7*7}", "javascript:alert(1)", "' OR '1'='1", "1; DROP TABLE auth_user; --",
        "%00", "%s%s%n", "../../../etc/passwd", "\\\\server\\share", "null", "None", "undefined", "[]", "{}",
    ]
)  # fmt: skip
numbers = st.sampled_from(
    [
        "-1", "0", "-0", "00", "1.5", "-99999999", "99999999999999999999999999999", "2147483648",
        "9223372036854775808", "1e309", "-1e309", "1e-400", "NaN", "nan", "Infinity", "-inf", "1,000", "1 000",
        "£1,000.50", "0x1F", "1_000", "١٢٣", "１２３", "+5", "5-", ".", "-", "0.0000000001", "1e5",
    ]
)  # fmt: skip
dates = st.sampled_from(
    [
        "2026-02-30", "2026-13-01", "2026-00-10", "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01",
        "30/02/2026", "31/12/1999", "2026/02/28", "28-02-2026", "tomorrow", "2026-02-28T25:61",
        "2026-02-30T10:00", "2026-02-28T10:00", "2026-02-28T10:00:00+99:00", "1970-01-01T00:00:00Z",
        "-2026-01-01", "2026-W09", "1e309",
    ]
)  # fmt: skip
anything = st.text(max_size=40)  # any code point but lone surrogates (a browser cannot send those), NUL included
UNKNOWN_NAMES = ["id", "pk", "status", "organisation", "created_by", "user", "is_staff", "role", "verified_by",
                 "submitted_at", "amount", "email", "next", "action", "form"]  # fmt: skip
FILE_NAMES = ["plan.pdf", "../../etc/passwd.pdf", "..\\..\\boot.pdf", Long("a" * 300) + ".pdf", "\u202efdp.exe",
              "💥.pdf", " .pdf", ".pdf", "CON.pdf", "plan.pdf\x00.exe", "report.docx", "deck.pptx",
              "x.exe"]  # fmt: skip
FILE_CONTENTS = [PDF, b"", b"MZ\x90\x00", b"just words", b"PK\x03\x04 not really a zip", b"%PDF-" + b"\xff" * 64]


def ids_strategy(ids: list[int]):
    """Ids of objects in the world (most belong to someone else) and of none."""
    return st.sampled_from(sorted({*ids, 0, -1, 999_999_999})).map(str)


def hostile(ids):
    return st.one_of(hostile_text, numbers, dates, anything, ids_strategy(ids))


def sensible(f: Field, today):
    """A value that could pass, so that examples also reach the checks behind the first one."""
    if f.kind in ("select", "radio", "checkbox", "hidden", "button", "submit") and f.options:
        return st.sampled_from(f.options)
    if f.kind == "hidden":
        return st.just(f.initial)
    if f.kind == "number":
        return st.sampled_from(["1", "250", "0.5", "1000"])
    if f.kind == "date":
        return st.integers(-30, 400).map(lambda d: (today + timedelta(days=d)).isoformat())
    if f.kind == "datetime-local":
        return st.integers(-30, 400).map(lambda d: (today + timedelta(days=d)).isoformat() + "T10:30")
    if f.kind == "email":
        return st.sampled_from(["someone@example.com", "Kept@example.com"])
    if f.kind == "url":
        return st.sampled_from(["https://example.com/demo", ""])
    return plain


def hostile_file():
    return st.builds(
        lambda name, content: SimpleUploadedFile(name, content, content_type="application/pdf"),
        st.sampled_from(FILE_NAMES),
        st.sampled_from(FILE_CONTENTS),
    )


def value_for(f: Field, ids, today):
    if f.kind == "file":
        return st.one_of(hostile_file(), hostile_file(), hostile_text)
    if f.kind == "hidden":  # mostly left as the page set it, so the form is the one the view expects
        return st.one_of(sensible(f, today), sensible(f, today), sensible(f, today), hostile(ids))
    one = st.one_of(sensible(f, today), sensible(f, today), hostile(ids))
    return st.one_of(one, one, one, st.lists(one, min_size=2, max_size=3))  # lists even for single-value fields


def payloads(form: Form, ids: list[int], tame=lambda f: False):
    """Hostile data for `form`; the fields `tame` picks get only the page's own values (see is_tame)."""
    today = timezone.localdate()
    omit = st.just(OMIT)
    per_field = {
        name: sensible(f, today) if tame(f) else st.one_of(value_for(f, ids, today), omit)
        for name, f in form.fields.items()
    }
    unknown = st.dictionaries(st.one_of(st.sampled_from(UNKNOWN_NAMES), st.text(min_size=1, max_size=12)),
                              hostile(ids), max_size=2)  # fmt: skip

    def combine(known, extra):
        data = {k: v for k, v in extra.items() if k not in form.fields and k != "csrfmiddlewaretoken"}
        data.update({k: v for k, v in known.items() if v is not OMIT})
        return data

    return st.builds(combine, st.fixed_dictionaries(per_field), unknown)


# --- Posting and judging ---------------------------------------------------------------------------------
# How our templates say something is wrong: the Design System error summary and field errors
# (components/error_summary.html, field.html), an error notification (base.html's messages), and in Wagtail's
# admin a critical help block (applications/admin/_errors.html), a field error or an error message.
ERROR_MARKERS = ("ds_error-summary", "ds_question--error", "ds_notification-message--error", "help-critical",
                 "w-field--error", 'class="error-message"', '<li class="error')  # fmt: skip
TYPED = {"text", "textarea", "email", "url", "search", "tel"}  # where a person types words (see the docstring)


def post(client, form: Form, data: dict):
    if form.multipart:
        return client.post(form.action, data)
    return client.post(form.action, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def judge(response, form: Form, data: dict) -> None:
    status = response.status_code
    assert status < 500, f"POST {form.action} answered {status}"
    if status != 200 or "text/html" not in response.get("Content-Type", "") or response.streaming:
        return
    picks = [f for f in form.fields.values() if f.kind in ("hidden", "button", "submit") and f.options]
    if any(data.get(f.name) not in f.options for f in picks):
        return  # a browser cannot send this: the view cannot tell which form was meant (see the docstring)
    body = response.content.decode()
    assert any(marker in body for marker in ERROR_MARKERS), (
        f"POST {form.action} answered 200 with the page but no error message: did it fail silently?"
    )
    shown = html.unescape(body)
    lost = {
        name: value
        for name, value in data.items()
        if name in form.fields and form.fields[name].kind in TYPED and isinstance(value, str)
        and PLAIN.fullmatch(value) and value not in shown
    }  # fmt: skip
    assert not lost, f"POST {form.action}: the re-rendered form lost what was typed: {lost}"


def sign_in(client, user):
    if user is None:
        client.logout()
    else:
        client.force_login(user)


def sweep(client, user, url: str, ids: list[int], *, forms=None, examples: int = EXAMPLES, tame=lambda f: False,
          adds: dict | None = None):  # fmt: skip
    """Open `url` as `user`, then post hostile data to each of its post forms (or to `forms`, if given)."""
    sign_in(client, user)
    if forms is None:
        forms = post_forms(client.get(url), url)
        assert forms, f"{url} shows {user or 'anonymous'} no form to post"
        for form in forms:  # what the page's scripts add to the form before it is sent
            form.fields.update({name: Field(name, "hidden", [value], value) for name, value in (adds or {}).items()})
    failures = []
    for form in forms:
        try:
            hostile_posts(client, user, form, ids, examples, tame)()
        except Exception as error:  # noqa: BLE001 - every form is swept; the failures are raised together below
            failures.append(error)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise ExceptionGroup(f"{len(failures)} forms on {url} failed", failures)
    return forms


def brief(data: dict) -> str:
    """The posted data, each value cut short, for the report of a failing example."""

    def short(value):
        if isinstance(value, list):
            return [short(v) for v in value]
        if isinstance(value, SimpleUploadedFile):
            return f"<file {value.name[:40]!r}, {value.size} bytes>"
        text = repr(value)
        return text if len(text) <= 60 else f"{text[:50]}... ({len(value)} characters)"

    return "{" + ", ".join(f"{k!r}: {short(v)}" for k, v in data.items()) + "}"


def hostile_posts(client, user, form: Form, ids: list[int], examples: int, tame=lambda f: False):
    """A hypothesis test that posts hostile data to `form` as `user`."""

    @settings(max_examples=examples, deadline=None, database=None, phases=PHASES,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large, HealthCheck.large_base_example])  # fmt: skip
    @given(data=payloads(form, ids, tame))
    def attempt(data):
        note(f"POST {form.action} ({form.target}) as {user or 'anonymous'}: {brief(data)}")
        cache.clear()  # rate limits: every example gets as far as it can
        with transaction.atomic():  # a savepoint: each example starts from the same world
            sign_in(client, user)
            try:
                response = post(client, form, data)
            except Exception as error:
                raise AssertionError(f"POST {form.action} raised (a 500): {type(error).__name__}: {error}") from error
            judge(response, form, data)
            transaction.set_rollback(True)

    return attempt


def world_ids() -> list[int]:
    """Primary keys of everything in the world (so, mostly other people's things)."""
    found = set()
    ours = {"accounts", "organisations", "challenges", "applications", "sprints", "impact", "cms", "wagtailcore"}
    for model in apps.get_models():
        if model._meta.app_label in ours and isinstance(model._meta.pk, models.AutoField):
            found.update(model.objects.order_by("-pk").values_list("pk", flat=True)[:15])
    return sorted(found)


# --- The worlds ------------------------------------------------------------------------------------------
@dataclass
class Site:
    people: dict  # role → user (None: anonymous)
    urls: dict  # page → URL
    forms: dict = field(default_factory=dict)  # page → forms posted by script, not read off a page


def matrix_urls(args) -> dict:
    return {name: reverse(name, kwargs=args[arg]) for name, (arg, _, _) in EXPECTED.items()}


@pytest.fixture
def matrix_site(request):
    people, args = request.getfixturevalue("world")
    site = Site({"anonymous": None, **people}, matrix_urls(args))
    # Wagtail's editing forms for our models (the matrix covers the admin as one rule).
    round_ = Round.objects.get(slug=args["round_slug"]["slug"])
    company = Organisation.objects.get(slug=args["org_slug"]["slug"])
    space = ChallengePage.objects.get(pk=args["challenge"]["pk"]).get_parent()
    site.urls.update({
        "wagtailsnippets_challenges_round:add": reverse("wagtailsnippets_challenges_round:add"),
        "wagtailsnippets_challenges_round:edit": reverse("wagtailsnippets_challenges_round:edit", args=[round_.pk]),
        "wagtailsnippets_challenges_sector:add": reverse("wagtailsnippets_challenges_sector:add"),
        "wagtailsnippets_pipelines_pipelinetemplate:add": reverse("wagtailsnippets_pipelines_pipelinetemplate:add"),
        "wagtailsnippets_pipelines_pipelinetemplate:edit": reverse(
            "wagtailsnippets_pipelines_pipelinetemplate:edit", args=[PipelineTemplate.objects.order_by("pk")[0].pk]),
        "wagtailsnippets_formbuilder_applicationform:add": reverse("wagtailsnippets_formbuilder_applicationform:add"),
        "wagtailsnippets_formbuilder_applicationform:edit": reverse(
            "wagtailsnippets_formbuilder_applicationform:edit", args=[ApplicationForm.default().pk]),
        "wagtailsnippets_challenges_clarification:add": reverse("wagtailsnippets_challenges_clarification:add"),
        "wagtailsnippets_challenges_clarification:edit": reverse(
            "wagtailsnippets_challenges_clarification:edit", args=[args["clarification"]["pk"]]),
        "wagtailsnippets_organisations_organisation:add": reverse("wagtailsnippets_organisations_organisation:add"),
        "wagtailsnippets_organisations_organisation:edit": reverse(
            "wagtailsnippets_organisations_organisation:edit", args=[company.pk]),
        "wagtailadmin_pages:add": reverse("wagtailadmin_pages:add", args=["challenges", "challengepage", space.pk]),
    })  # fmt: skip
    # The "record as paid" button shows only once a milestone is due; the view must refuse it before then.
    site.forms["sprints:tranche_paid"] = [Form(site.urls["sprints:tranche_paid"], multipart=False)]
    return site


@pytest.fixture
def more_site(matrix_site):
    """The matrix world plus what it lacks: an undeclared assignment, a submitted return, exploration pitches,
    an invitation and alert links that work."""
    site, people = matrix_site, matrix_site.people
    staff, applicant_a = people["staff"], people["applicant_a"]
    company = applicant_a.memberships.get().organisation
    body_x = Organisation.objects.get(name="Body X")
    application = Application.objects.get(organisation=company, challenge__title="Challenge X")
    people["assessor_fresh"] = UserFactory(role=Role.ASSESSOR, mfa=True)
    assignment = assignment_create(application=application, assessor=people["assessor_fresh"], by=staff)
    site.urls["applications:assess_declare"] = reverse("applications:assess_declare", args=[assignment.pk])

    accelerator = Engagement.objects.get(application__organisation=company, stage="accelerator")
    today = timezone.localdate()
    submitted = make_impact_return(engagement=accelerator, kind="periodic", period_end=today - timedelta(days=40),
                                   due_on=today + timedelta(days=20))  # fmt: skip
    return_submit(impact_return=submitted, by=applicant_a, figures=dict(GOOD_RETURN))
    site.urls["impact:return_correct"] = reverse("impact:return_correct", args=[submitted.pk])
    site.urls["impact_verification:return"] = reverse("impact_verification:return", args=[submitted.pk])

    round_ = make_round(opened_days_ago=60)  # exploration is running
    add_pitch_criteria(round_)
    pitching = make_challenge(sponsor=body_x, round=round_, title="Challenge X3")
    ours = make_engagement(challenge=pitching, applicant=make_applicant(company, mfa=False), by=staff)
    theirs = make_engagement(challenge=pitching, by=staff)
    pitch_submit(engagement=theirs, by=theirs.application.created_by, summary="Their plan.",
                 deck=SimpleUploadedFile("deck.pdf", PDF, content_type="application/pdf"))  # fmt: skip
    site.urls["sprints:pitch"] = reverse("sprints:pitch", args=[ours.pk])  # the team's pitch form
    site.urls["sprints:pitch#score"] = reverse("sprints:pitch", args=[theirs.pk])  # the sponsor scores it
    site.urls["sprints:pitch_decision"] = reverse("sprints:pitch_decision", args=[pitching.pk])

    token = secrets.token_urlsafe(32)
    people["invitee"] = UserFactory(email="invitee@example.com")
    Invitation.objects.create(organisation=company, email="invitee@example.com", role="member",
                              token_hash=hash_token(token), invited_by=applicant_a,
                              expires_at=timezone.now() + timedelta(days=7))  # fmt: skip
    site.urls["organisations:invitation_accept"] = reverse("organisations:invitation_accept", args=[token])

    subscription = alert_subscribe(email="reader@example.com", sectors=[], keywords="clinics")
    site.urls["challenges:alert_confirm"] = reverse(
        "challenges:alert_confirm", args=[alert_token(subscription, "confirm")]
    )
    site.urls["challenges:alert_unsubscribe"] = reverse(
        "challenges:alert_unsubscribe", args=[alert_token(subscription, "unsubscribe")]
    )
    return site


EVERY_TYPE = FormSpec.from_data(
    {
        "sections": [{"key": "everything", "title": "Every question type", "questions": [
            {"key": "t_short", "type": "short_text", "label": "Short text"},
            {"key": "t_long", "type": "long_text", "label": "Long text", "word_limit": 20},
            {"key": "t_number", "type": "number", "label": "Number", "minimum": "0", "maximum": "100"},
            {"key": "t_money", "type": "money", "label": "Money"},
            {"key": "t_date", "type": "date", "label": "Date"},
            {"key": "t_choice", "type": "choice", "label": "Single choice", "choices": ["One", "Two"]},
            {"key": "t_choices", "type": "choices", "label": "Multiple choice", "choices": ["One", "Two", "Three"]},
            {"key": "t_yes_no", "type": "yes_no", "label": "Yes or no"},
            {"key": "t_email", "type": "email", "label": "Email"},
            {"key": "t_url", "type": "url", "label": "Web address", "required": False},
            {"key": "t_file", "type": "file", "label": "A file", "file_kinds": ["pdf"], "max_mb": 5, "required": False},
            {"key": "t_if", "type": "short_text", "label": "Asked if yes", "show_if": {"question": "t_yes_no",
                                                                                     "equals": "Yes"}},
        ]}],
        "declarations": [{"key": "declare_terms", "label": "We accept the terms."}],
    }
)  # fmt: skip


@pytest.fixture
def open_site():
    """A call still open: a draft application with a file, a submitted one, a challenge to ask about, a Demo Day."""
    round_ = make_round(opened_days_ago=7)
    body = PublicBodyFactory(name="Body O")
    Sector.objects.get_or_create(slug="health", defaults={"name": "Health"})
    challenge = make_challenge(sponsor=body, round=round_, title="Open challenge")
    another = make_challenge(sponsor=body, round=round_, title="Another open challenge")
    drafter, submitter = make_applicant(mfa=False), make_applicant(mfa=False)
    draft = make_application(challenge=challenge, applicant=drafter)
    attachment_add(application=draft, by=drafter, upload=SimpleUploadedFile("plan.pdf", PDF))
    submitted = make_application(challenge=challenge, applicant=submitter)
    application_submit(application_id=submitted.pk, by=submitter, declarations=ALL_DECLARED)
    # A draft on a form with a question of every type (one conditional), so every kind of field is swept.
    every_type = ApplicationForm.objects.create(name="Every question type", content=stream_data(EVERY_TYPE))
    typed = make_challenge(sponsor=body, round=make_round(opened_days_ago=7, application_form=every_type))
    typed_draft = make_application(challenge=typed, applicant=drafter, answers={})
    demo_day = make_demo_day()
    site = Site(
        {"anonymous": None, "drafter": drafter, "submitter": submitter},
        {
            "applications:section": reverse("applications:section", args=[draft.pk, "idea"]),
            "applications:section (every question type)": reverse(
                "applications:section", args=[typed_draft.pk, "everything"]
            ),
            "applications:attachments": reverse("applications:attachments", args=[draft.pk]),
            "applications:check": reverse("applications:check", args=[draft.pk]),
            "applications:withdraw": reverse("applications:withdraw", args=[submitted.pk]),
            "applications:start": reverse("applications:start", args=[another.pk]),
            "challenge page": challenge.url,
            "demo day page": demo_day.url,
        },
    )
    autosave = reverse("applications:autosave", args=[draft.pk, "idea"])  # the page's script posts here
    site.forms["applications:autosave"] = [Form(autosave, multipart=False, fields={"text": Field("text", "textarea")})]
    site.urls["applications:autosave"] = autosave
    return site


@pytest.fixture
def account_site():
    """allauth's pages: signing in, up and resetting as anyone; email addresses and password as a member."""
    names = ("account_login", "account_signup", "account_reset_password", "account_email", "account_change_password")
    return Site({"anonymous": None, "member": UserFactory()}, {name: reverse(name) for name in names})


# --- What is swept ---------------------------------------------------------------------------------------
# page → (world, the people to sweep it as: between them they see every post form the page ever shows anyone).
FORM_PAGES = {
    "challenges:alert_subscribe": ("matrix_site", ("anonymous", "applicant_a")),
    "challenges:answer": ("matrix_site", ("sponsor_x",)),
    "organisations:create": ("matrix_site", ("applicant_b",)),
    "organisations:invite": ("matrix_site", ("applicant_a",)),
    "applications:assess_score": ("matrix_site", ("assessor_assigned",)),
    "evaluation:board": ("matrix_site", ("staff",)),
    "evaluation:moderate": ("matrix_site", ("staff",)),
    "sprints:overview": ("matrix_site", ("sponsor_x",)),
    "sprints:plan": ("matrix_site", ("sponsor_x",)),
    "sprints:update": ("matrix_site", ("applicant_a",)),
    "sprints:sprint_edit": ("matrix_site", ("sponsor_x",)),
    "sprints:deliverable_new": ("matrix_site", ("applicant_a",)),
    "sprints:deliverable": ("matrix_site", ("sponsor_x",)),
    "sprints:version_new": ("matrix_site", ("applicant_a",)),
    "sprints:messages": ("matrix_site", ("applicant_a",)),
    "sprints:meetings": ("matrix_site", ("applicant_a",)),
    "sprints:meeting_notes": ("matrix_site", ("applicant_a",)),
    "sprints:documents": ("matrix_site", ("applicant_a",)),
    "sprints:accelerator": ("matrix_site", ("sponsor_x",)),  # milestones and risks, and closing a risk
    "sprints:tranche_paid": ("matrix_site", ("staff",)),  # a button shown only once due (see matrix_site)
    "sprints:outcome": ("matrix_site", ("staff",)),
    "sprints:end": ("matrix_site", ("staff",)),
    "sprints:lessons": ("matrix_site", ("applicant_a", "staff")),  # the team's lessons; staff publish them
    "impact:return": ("matrix_site", ("applicant_a",)),
    "impact:benefit_new": ("matrix_site", ("sponsor_x",)),
    "impact:benefit": ("matrix_site", ("sponsor_x",)),
    "impact_report:index": ("matrix_site", ("staff",)),
    "impact_report:records": ("matrix_site", ("staff",)),
    "impact_report:assumptions": ("matrix_site", ("staff",)),
    "contracts_manage:detail": ("matrix_site", ("staff",)),
    "contracts_manage:follow_on": ("matrix_site", ("staff",)),
    "impact_verification:benefit": ("matrix_site", ("staff",)),
    "challenge_pipeline:choose_parent": ("matrix_site", ("staff",)),
    # forms the matrix world never shows anyone
    "applications:assess_declare": ("more_site", ("assessor_fresh",)),
    "impact:return_correct": ("more_site", ("applicant_a",)),
    "impact_verification:return": ("more_site", ("staff",)),
    "sprints:pitch": ("more_site", ("applicant_a",)),
    "sprints:pitch#score": ("more_site", ("sponsor_x",)),
    "sprints:pitch_decision": ("more_site", ("staff",)),
    "organisations:invitation_accept": ("more_site", ("invitee",)),
    "challenges:alert_confirm": ("more_site", ("anonymous",)),
    "challenges:alert_unsubscribe": ("more_site", ("anonymous",)),
    "applications:section": ("open_site", ("drafter",)),
    "applications:section (every question type)": ("open_site", ("drafter",)),
    "applications:autosave": ("open_site", ("drafter",)),
    "applications:attachments": ("open_site", ("drafter",)),  # uploading, and removing a file
    "applications:check": ("open_site", ("drafter",)),
    "applications:withdraw": ("open_site", ("submitter",)),
    "applications:start": ("open_site", ("drafter",)),
    "challenge page": ("open_site", ("submitter",)),  # asking a question, following the challenge
    "demo day page": ("open_site", ("anonymous",)),
    "wagtailsnippets_challenges_round:add": ("matrix_site", ("staff",)),
    "wagtailsnippets_challenges_round:edit": ("matrix_site", ("staff",)),
    "wagtailsnippets_challenges_sector:add": ("matrix_site", ("staff",)),
    "wagtailsnippets_pipelines_pipelinetemplate:add": ("matrix_site", ("staff",)),
    "wagtailsnippets_pipelines_pipelinetemplate:edit": ("matrix_site", ("staff",)),
    "wagtailsnippets_formbuilder_applicationform:add": ("matrix_site", ("staff",)),
    "wagtailsnippets_formbuilder_applicationform:edit": ("matrix_site", ("staff",)),
    "wagtailsnippets_challenges_clarification:add": ("matrix_site", ("staff",)),
    "wagtailsnippets_challenges_clarification:edit": ("matrix_site", ("staff",)),
    "wagtailsnippets_organisations_organisation:add": ("matrix_site", ("staff",)),
    "wagtailsnippets_organisations_organisation:edit": ("matrix_site", ("staff",)),
    "wagtailadmin_pages:add": ("matrix_site", ("sponsor_x",)),  # a new challenge, in the sponsor's space
    "account_login": ("account_site", ("anonymous",)),
    "account_signup": ("account_site", ("anonymous",)),
    "account_reset_password": ("account_site", ("anonymous",)),
    "account_email": ("account_site", ("member",)),
    "account_change_password": ("account_site", ("member",)),
}
# Forms that are not swept, and why (the guard accepts a page whose name starts with a key here).
SKIPPED = {
    "wagtailadmin_pages:edit": "the same editing form as wagtailadmin_pages:add, which is swept, on a saved page",
    "wagtailadmin_": "Wagtail's own admin forms (users, groups, workflows, collections, images, documents, "
    "redirects...): Wagtail's models, forms and validation, none of ours",
    "mfa_": "allauth's 2FA forms: each asks for the password again (reauthentication) before it shows a form, "
    "and its codes are checked by allauth alone",
    "socialaccount_": "allauth's social sign-in: no provider is configured",
}
# POST-only URLs and the form that posts to them: (page, as whom). The sweep of that page checks it has it.
POSTED_FROM = {
    "challenges:follow": ("challenge page", "submitter"),
    "applications:autosave": ("applications:autosave", "drafter"),
    "applications:remove": ("applications:attachments", "drafter"),
    "sprints:message_preference": ("sprints:messages", "applicant_a"),
    "sprints:risk_close": ("sprints:accelerator", "sponsor_x"),
    "sprints:tranche_paid": ("sprints:tranche_paid", "staff"),
    "sprints:lesson_publish": ("sprints:lessons", "staff"),
    "impact_report:export_new": ("impact_report:index", "staff"),
}
# Wagtail's editing forms (snippets, the page editor): the hidden inputs there are state that Wagtail's own
# scripts write (choosers' ids, rich text as JSON, inline formsets' counts, ids and order, StreamField counts),
# read back by Wagtail's code, not ours; the sweep leaves them as the page set them and makes every field a
# person fills in hostile. (Tampering with them reaches 500s inside Wagtail itself: a chooser given a value that is
# not an id, an inline formset row without its id or ORDER, a StreamField without its count. Those are Wagtail's to
# fix, or ours to wrap as the challenge pipeline's choose-parent view does in challenges/wagtail_hooks.py.)
SCRIPT_ADDS = {
    "wagtailadmin_pages:add": {
        "problem_statement-count": "0",
        "attachments-count": "0",
        "application_questions-count": "0",
    },
    "wagtailsnippets_formbuilder_applicationform:add": {"content-count": "0"},
    "wagtailsnippets_formbuilder_applicationform:edit": {"content-count": "0"},
}  # empty StreamFields


def is_tame(page: str, f: Field) -> bool:
    return page.startswith("wagtail") and f.kind == "hidden"


CASES = [(page, role) for page, (_, roles) in FORM_PAGES.items() for role in roles]


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{page}-{role}" for page, role in CASES])
def test_hostile_posts_get_a_clear_answer(request, client, page, role):
    site = request.getfixturevalue(FORM_PAGES[page][0])
    forms = site.forms.get(page)
    swept = sweep(client, site.people[role], site.urls[page], world_ids(), forms=forms,
                  tame=lambda f: is_tame(page, f), adds=SCRIPT_ADDS.get(page))  # fmt: skip
    expected = {name for name, posted_from in POSTED_FROM.items() if posted_from == (page, role)}
    assert expected <= {form.target for form in swept}, f"{page} no longer shows a form posting to {expected}"


def test_every_post_form_in_the_world_is_swept(client, matrix_site):
    """Open every page as everyone the matrix lets in, and every snippet's add and edit page as staff: each post
    form found there is swept (FORM_PAGES) or SKIPPED with a reason."""
    site = matrix_site
    pages = [(name, site.urls[name], roles) for name, (_, method, outcomes) in EXPECTED.items() if method == "get"
             for roles in [{role for role in ROLES if outcomes[role] == OK}]]  # fmt: skip
    for model in get_snippet_models():
        label = f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}"
        pages.append((f"{label}:add", reverse(f"{label}:add"), {"staff"}))
        if (instance := model.objects.order_by("pk").first()) is not None:
            pages.append((f"{label}:edit", reverse(f"{label}:edit", args=[instance.pk]), {"staff"}))
    seen: dict[tuple, set[str]] = {}  # (page, form key) → who sees it
    for role in ROLES:
        sign_in(client, site.people[role])
        for name, url, roles in pages:
            if role in roles:
                for form in post_forms(client.get(url), url):
                    seen.setdefault((name, form.key), set()).add(role)
    unswept = {
        (page, key): sorted(roles)
        for (page, key), roles in seen.items()
        if not set(FORM_PAGES.get(page, (None, ()))[1]) & roles and not any(page.startswith(p) for p in SKIPPED)
    }
    assert unswept == {}, "sweep these forms (FORM_PAGES) or say in SKIPPED why not"
    posted = {name for name, (_, method, _) in EXPECTED.items() if method == "post"}
    assert posted <= set(POSTED_FROM), f"say which swept form posts to {posted - set(POSTED_FROM)}"
    assert all(page in FORM_PAGES and role in FORM_PAGES[page][1] for page, role in POSTED_FROM.values())


# --- Hostile files through every upload form -------------------------------------------------------------
@memoise
def zip_bytes(*, bomb: bool = False, word: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if bomb:  # 300 MB of zeros, deflated to a few hundred kilobytes
            with archive.open("word/document.xml", "w", force_zip64=True) as member:
                for _ in range(300):
                    member.write(b"\0" * (1024 * 1024))
        elif word:
            archive.writestr("word/document.xml", "<w:document/>")
        else:
            archive.writestr("notes.txt", "not a document")
    return buffer.getvalue()


HOSTILE_FILES = {
    "text-as-pdf": ("plan.pdf", lambda: b"just some text pretending", "The selected file is not really a PDF"),
    "zip-as-docx": ("plan.docx", lambda: zip_bytes(word=False), "The selected file is not really a DOCX"),
    "zip-bomb": ("bomb.docx", lambda: zip_bytes(bomb=True), "This file expands to far more than its size"),
    "empty": ("empty.pdf", lambda: b"", "file is empty"),  # Django's own check or ours, worded alike
    "21mb": ("big.pdf", lambda: b"%PDF-" + b"0" * (21 * 1024 * 1024), "The selected file must be smaller than 20 MB."),
    "exe": ("script.exe", lambda: b"MZ\x90\x00", "The selected file must be a PDF, DOCX, ODT or PPTX."),
}
SAVING = {"kind": "cashable", "title": "Saving", "recurrence": "one_off", "amount": "1000", "evidence": "Report"}
# Upload forms other than the application's attachments (tests/applications/test_uploads.py), with values
# for their other fields that pass, so that only the file is wrong.
UPLOAD_FORMS = {
    "sprints:documents": ("matrix_site", "applicant_a", {}),
    "sprints:deliverable_new": ("matrix_site", "applicant_a", {"title": "Prototype two", "description": "Works"}),
    "sprints:version_new": ("matrix_site", "applicant_a", {"description": "Second cut"}),
    "sprints:pitch": ("more_site", "applicant_a", {"summary": "Our plan for the accelerator."}),
    "impact:benefit_new": ("matrix_site", "sponsor_x", SAVING),
    "impact:benefit": ("matrix_site", "sponsor_x", {"evidence": "Finance report"}),
}


def errors_in(body: str) -> list[str]:
    """The texts of a page's error summary, for messages."""
    summary = re.search(r'class="ds_error-summary__list">(.*?)</ul>', body, re.S)
    return (
        [re.sub(r"<[^>]+>|\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary[1], re.S)]
        if summary
        else []
    )


def stored_files() -> int:
    return sum(
        model.objects.exclude(**{f.name: ""}).count()
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.FileField) and model._meta.app_label in {"applications", "sprints", "impact"}
    )


@pytest.mark.parametrize("page", list(UPLOAD_FORMS))
def test_uploads_refuse_hostile_files(request, client, page):
    world_name, role, values = UPLOAD_FORMS[page]
    site = request.getfixturevalue(world_name)
    sign_in(client, site.people[role])
    url = site.urls[page]
    (form,) = [f for f in post_forms(client.get(url), url) if f.multipart]
    (file_field,) = [name for name, f in form.fields.items() if f.kind == "file"]
    base = {name: f.initial for name, f in form.fields.items() if f.kind != "file"}  # the page as it comes
    for name in [n for n, f in form.fields.items() if f.kind == "select" and not f.initial]:
        base[name] = next((o for o in form.fields[name].options if o), "")
    base.update(values)
    before = stored_files()
    for label, (filename, content, message) in HOSTILE_FILES.items():
        response = client.post(url, {**base, file_field: SimpleUploadedFile(filename, content())})
        assert response.status_code == 200, (label, response.status_code)
        body = response.content.decode()
        assert any(message in error for error in errors_in(body)), (label, errors_in(body))
        assert stored_files() == before, f"{label}: a refused file was stored"
    # A path in the name is stripped: the file is kept under a safe name, never written outside its folder.
    response = client.post(url, {**base, file_field: SimpleUploadedFile("../../etc/passwd.pdf", PDF)})
    assert response.status_code == 302, errors_in(response.content.decode())
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) and model._meta.app_label in {"applications", "sprints", "impact"}:
                for stored in model.objects.exclude(**{f.name: ""}).values_list(f.name, flat=True):
                    assert ".." not in stored and not stored.startswith("/"), stored
