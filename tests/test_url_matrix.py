"""Every URL pattern × every kind of person, on objects that belong to someone else: one table of outcomes.

The world: company A's application to sponsor X's challenge (submitted, call closed, with a private file),
assessors assigned to it (cleared, conflicted) and one not; company A's accelerator workspace on another of
X's challenges with a deliverable, document, meeting, risk, milestone and lessons; A's impact return; X's
benefit; a staff export. Each URL is requested as each person: GET for pages, POST with no data for
POST-only endpoints. Outcomes: "ok" (served), "login" (sent to sign in), "no" (refused: 403, 404, 405 or
Wagtail's redirect to the admin home). A URL our code defines without an entry in EXPECTED fails the test;
third-party URL namespaces (Wagtail's admin, allauth) are covered by a rule per namespace.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from applications.services import application_submit, attachment_add
from applications.services.assessment import assignment_create, assignment_declare
from challenges.models import Clarification
from formbuilder.models import ApplicationForm
from impact.exports import export_request
from impact.models import Benefit
from sprints import services as sprint_services
from tests.applications.evaluation import close_call
from tests.factories import (
    ALL_DECLARED,
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_application,
    make_challenge,
    make_engagement,
    make_impact_return,
    make_round,
    make_sponsor_member,
    staff_user,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ROLES = [
    "anonymous", "applicant_a", "applicant_b", "sponsor_x", "sponsor_y",
    "assessor_assigned", "assessor_unassigned", "assessor_conflicted", "staff",
]  # fmt: skip
OK, LOGIN, NO = "ok", "login", "no"
ASSESSORS = ("assessor_assigned", "assessor_unassigned", "assessor_conflicted")


def row(anonymous=LOGIN, default=NO, **cells):
    """Outcomes per role: anonymous and everyone not named get the defaults."""
    return {role: cells.get(role, anonymous if role == "anonymous" else default) for role in ROLES}


PUBLIC = row(anonymous=OK, default=OK)
SIGNED_IN = row(default=OK)
NOBODY = row()  # e.g. changing an application after its deadline
NOBODY_ANYWHERE = row(anonymous=NO)  # refused alike whether signed in or not
BOGUS_TOKEN = row(anonymous=NO)  # a made-up token is refused the same way, signed in or not
# The application after the call closed: its team, the sponsor of its challenge, an assessor who declared no
# conflict, and staff.
READERS = row(applicant_a=OK, sponsor_x=OK, assessor_assigned=OK, staff=OK)
# Programme staff's admin pages: people without admin access are sent to sign in there; sponsors (who use the
# admin for their own challenges) are refused inside it.
ADMIN_STAFF = row(default=LOGIN, sponsor_x=NO, sponsor_y=NO, staff=OK)
ADMIN_USERS = row(default=LOGIN, sponsor_x=OK, sponsor_y=OK, staff=OK)  # Wagtail's page permissions then apply
TEAM = row(applicant_a=OK, sponsor_x=OK, staff=OK)  # a workspace: the team, the challenge's sponsor, staff
TEAM_ONLY = row(applicant_a=OK, staff=OK)
SPONSOR_SIDE = row(sponsor_x=OK, staff=OK)
STAFF = row(staff=OK)

# name → (arguments from the world, method, outcomes)
EXPECTED: dict[str, tuple] = {
    "healthz": (None, "get", PUBLIC),
    # what every public government site answers: the sitemap (public pages only), robots.txt, the cookies page
    "sitemap": (None, "get", PUBLIC),
    "robots_txt": (None, "get", PUBLIC),
    "cookies": (None, "get", PUBLIC),
    "accounts:dashboard": (None, "get", SIGNED_IN),
    # libraries' sign-in doors: everyone is sent to allauth's sign-in (or its password reset)
    "accounts:admin_login_door": (None, "get", row(default=LOGIN)),
    "accounts:private_page_login_door": (None, "get", row(default=LOGIN)),
    "accounts:admin_password_reset_door": (None, "get", PUBLIC),
    # organisations: A's page and invitations, only A's members and staff
    "organisations:list": (None, "get", SIGNED_IN),
    "organisations:create": (None, "get", SIGNED_IN),
    "organisations:detail": ("org_slug", "get", row(applicant_a=OK, staff=OK)),
    "organisations:invite": ("org_slug", "get", row(applicant_a=OK, staff=OK)),
    "organisations:invitation_accept": ("bogus_token", "get", BOGUS_TOKEN),
    # challenges: the views under the challenge pages' URLs (a GET of the question form goes to the page)
    "challenges:feed": (None, "get", PUBLIC),
    "challenges:round": ("round_slug", "get", PUBLIC),
    "challenges:calendar": ("challenge_path", "get", PUBLIC),
    "challenges:ask": ("challenge_path", "get", PUBLIC),
    # challenges: alerts and questions
    "challenges:alert_subscribe": (None, "get", PUBLIC),
    "challenges:alert_confirm": ("bogus_token", "get", BOGUS_TOKEN),
    "challenges:alert_unsubscribe": ("bogus_token", "get", BOGUS_TOKEN),
    "challenges:answer_list": (None, "get", SIGNED_IN),  # lists only questions the person may answer (tested)
    "challenges:answer": ("clarification", "get", row(sponsor_x=OK, staff=OK)),
    "challenges:follow": ("page", "post", SIGNED_IN),
    # applications (after the call closed)
    "applications:list": (None, "get", SIGNED_IN),
    # closed: applicants are refused; anyone without a company is told to register one first
    "applications:start": ("challenge_page", "get", row(default=OK, applicant_a=NO, applicant_b=NO)),
    "applications:overview": ("application", "get", READERS),
    "applications:section": ("application_section", "get", NOBODY),
    "applications:autosave": ("application_section", "post", row(anonymous=NO)),
    "applications:attachments": ("application", "get", READERS),
    "applications:remove": ("attachment", "post", NOBODY),
    "applications:download": ("attachment", "get", READERS),
    "applications:check": ("application", "get", READERS),
    "applications:submitted": ("application", "get", READERS),
    "applications:version": ("application_version", "get", READERS),  # the version submitted, as assessors read it
    "applications:withdraw": ("application", "get", NOBODY),
    "applications:sponsor_dashboard": (None, "get", SIGNED_IN),  # each sees only their own body's (tested)
    "applications:sponsor_application": ("application", "get", READERS),
    "applications:assess_queue": (None, "get", SIGNED_IN),  # each sees only their own assignments (tested)
    "applications:assess_declare": ("assignment", "get", row(assessor_assigned=OK)),  # declared: back to queue
    "applications:assess_score": ("assignment", "get", row(assessor_assigned=OK)),
    # evaluation (admin)
    "evaluation:index": (None, "get", ADMIN_STAFF),
    "evaluation:board": ("challenge", "get", ADMIN_STAFF),
    "evaluation:moderate": ("application_stage", "get", ADMIN_STAFF),
    "evaluation:move_drafts": ("application_form", "get", ADMIN_STAFF),
    # sprints: A's accelerator workspace on X's challenge
    "sprints:list": (None, "get", SIGNED_IN),
    "sprints:overview": ("engagement", "get", TEAM),
    "sprints:plan": ("engagement", "get", TEAM),
    "sprints:update": ("sprint", "get", row(applicant_a=OK)),  # the team reports
    "sprints:sprint_edit": ("sprint", "get", SPONSOR_SIDE),
    "sprints:deliverables": ("engagement", "get", TEAM),
    "sprints:deliverable_new": ("engagement", "get", row(applicant_a=OK)),
    "sprints:deliverable": ("deliverable", "get", TEAM),
    "sprints:version_new": ("deliverable", "get", row(applicant_a=OK)),
    "sprints:messages": ("engagement", "get", TEAM),
    "sprints:message_preference": ("engagement", "post", TEAM),
    "sprints:meetings": ("engagement", "get", TEAM),
    "sprints:meeting_notes": ("meeting", "get", TEAM),
    "sprints:documents": ("engagement", "get", TEAM),
    "sprints:document": ("document", "get", TEAM),
    "sprints:accelerator": ("engagement", "get", TEAM),
    "sprints:risk_close": ("risk", "post", TEAM),
    "sprints:tranche_paid": ("milestone", "post", STAFF),
    "sprints:pitch": ("engagement", "get", TEAM),
    "sprints:outcome": ("engagement", "get", STAFF),
    "sprints:end": ("engagement", "get", STAFF),
    "sprints:lessons": ("engagement", "get", TEAM),
    "sprints:lesson_publish": ("lesson", "post", STAFF),
    "sprints:pitch_decision": ("pitch_challenge", "get", STAFF),
    "sprints:lessons_library": (None, "get", PUBLIC),
    # impact returns and benefits
    "impact:returns": (None, "get", SIGNED_IN),
    "impact:return": ("impact_return", "get", TEAM_ONLY),  # sponsors never see company figures
    "impact:return_correct": ("impact_return", "get", NOBODY),  # nothing submitted to correct yet
    "impact:benefits": (None, "get", SIGNED_IN),
    "impact:benefit_new": (None, "get", row(sponsor_x=OK, sponsor_y=OK, staff=OK)),  # for their own challenges
    "impact:benefit": ("benefit", "get", SPONSOR_SIDE),
    "impact:benefit_evidence": ("benefit", "get", NOBODY),  # no file attached: 404 for all
    # staff money and reporting (admin)
    "impact_report:index": (None, "get", ADMIN_STAFF),
    "impact_report:records": ("figure", "get", ADMIN_STAFF),
    "impact_report:assumptions": (None, "get", ADMIN_STAFF),
    "impact_report:export_new": (None, "post", ADMIN_STAFF),
    "impact_report:export": ("export", "get", ADMIN_STAFF),
    "impact_report:export_download": ("export", "get", ADMIN_STAFF),
    "contracts_manage:detail": ("contract", "get", ADMIN_STAFF),
    "contracts_manage:follow_on": (None, "get", ADMIN_STAFF),
    "impact_verification:index": (None, "get", ADMIN_STAFF),
    "impact_verification:return": ("impact_return", "get", ADMIN_STAFF),
    "impact_verification:benefit": ("benefit", "get", ADMIN_STAFF),
    "sprints_portfolio": (None, "get", ADMIN_STAFF),
    "sprints_challenge_timeline": ("pitch_challenge", "get", ADMIN_STAFF),
    # the pipeline is Wagtail's page listing: a sponsor sees their own body's challenges only (tested below)
    "challenge_pipeline:index": (None, "get", ADMIN_USERS),
    "challenge_pipeline:index_results": (None, "get", ADMIN_USERS),
    "challenge_pipeline:choose_parent": (None, "get", ADMIN_USERS),
    # the public API: open to all; nothing private in it (field by field: tests/api)
    "api:api-root": (None, "get", PUBLIC),
    "api:schema": (None, "get", PUBLIC),
    "api:docs": (None, "get", PUBLIC),
    "api:round-list": (None, "get", PUBLIC),
    "api:round-detail": ("round_slug", "get", PUBLIC),
    "api:challenge-list": (None, "get", PUBLIC),
    "api:challenge-detail": ("challenge", "get", PUBLIC),
    "api:question-list": (None, "get", PUBLIC),
    "api:question-detail": ("clarification", "get", NOBODY_ANYWHERE),  # unanswered: never published
    "api:company-list": (None, "get", PUBLIC),
    "api:company-detail": ("org_slug", "get", PUBLIC),  # A has been engaged: its public profile
    "api:solution-list": (None, "get", PUBLIC),
    "api:solution-detail": ("engagement", "get", NOBODY_ANYWHERE),  # not a solution until it is completed
    "api:contract-list": (None, "get", PUBLIC),
    "api:contract-detail": ("contract", "get", PUBLIC),  # a stage contract: public fields
    "api:impact": (None, "get", PUBLIC),
    "api:ocds-releases": (None, "get", PUBLIC),
    "api:ocds-records": (None, "get", PUBLIC),
    # the staff API takes a token, never a browser session: everyone here is refused (tokens: tests/api)
    "api:staff-application-list": (None, "get", NOBODY_ANYWHERE),
    "api:staff-application-detail": ("application", "get", NOBODY_ANYWHERE),
    "api:staff-score-list": (None, "get", NOBODY_ANYWHERE),
    "api:staff-score-detail": ("application", "get", NOBODY_ANYWHERE),
    "api:staff-impact-return-list": (None, "get", NOBODY_ANYWHERE),
    "api:staff-impact-return-detail": ("impact_return", "get", NOBODY_ANYWHERE),
    "api:staff-benefit-list": (None, "get", NOBODY_ANYWHERE),
    "api:staff-benefit-detail": ("benefit", "get", NOBODY_ANYWHERE),
    "open_data": (None, "get", PUBLIC),
    "open_data_csv": ("dataset", "get", PUBLIC),
    # search and discovery
    "discovery:search": (None, "get", PUBLIC),
    "discovery:autocomplete": (None, "get", PUBLIC),
    "discovery:solutions": (None, "get", PUBLIC),
    "discovery:solution": ("engagement", "get", NOBODY_ANYWHERE),  # not completed: not a solution yet
    "discovery:company": ("org_slug", "get", PUBLIC),
    "discovery:recommended": (None, "get", row(applicant_a=OK, applicant_b=OK)),  # for companies
    "discovery:similar": (None, "get", row()),  # needs ?challenge= of one's own: see tests/discovery
}


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    round_ = make_round(opened_days_ago=7)
    body_x, body_y = PublicBodyFactory(name="Body X"), PublicBodyFactory(name="Body Y")
    challenge = make_challenge(sponsor=body_x, round=round_, title="Challenge X")
    make_challenge(sponsor=body_y, round=round_, title="Challenge of Body Y")
    applicant_a, applicant_b = make_applicant(mfa=False), make_applicant(mfa=False)
    application = make_application(challenge=challenge, applicant=applicant_a)
    attachment = attachment_add(application=application, by=applicant_a, upload=SimpleUploadedFile("plan.pdf", PDF))
    application_submit(application_id=application.pk, by=applicant_a, declarations=ALL_DECLARED)
    clarification = Clarification.objects.create(challenge=challenge, question="How many clinics?",
                                                 asked_by=applicant_b)  # fmt: skip
    close_call(round_)
    application.refresh_from_db()
    staff = staff_user()
    people = {
        "applicant_a": applicant_a,
        "applicant_b": applicant_b,
        "sponsor_x": make_sponsor_member(body_x, mfa=True),
        "sponsor_y": make_sponsor_member(body_y, mfa=True),
        "assessor_assigned": UserFactory(role=Role.ASSESSOR, mfa=True),
        "assessor_unassigned": UserFactory(role=Role.ASSESSOR, mfa=True),
        "assessor_conflicted": UserFactory(role=Role.ASSESSOR, mfa=True),
        "staff": staff,
    }
    assignment = assignment_create(application=application, assessor=people["assessor_assigned"], by=staff)
    assignment_declare(assignment=assignment, by=people["assessor_assigned"], has_conflict=False)
    conflicted = assignment_create(application=application, assessor=people["assessor_conflicted"], by=staff)
    assignment_declare(assignment=conflicted, by=people["assessor_conflicted"], has_conflict=True, details="Owner.")

    # A's accelerator workspace on another of X's challenges.
    other = make_challenge(sponsor=body_x, round=make_round(opened_days_ago=120), title="Challenge X2")
    accelerator = make_engagement(stage="accelerator", challenge=other, applicant=make_applicant(
        application.organisation, mfa=False), by=staff)  # fmt: skip
    deliverable = sprint_services.deliverable_submit(engagement=accelerator, by=applicant_a, title="Prototype",
                                                     description="First cut").deliverable  # fmt: skip
    document = sprint_services.document_upload(engagement=accelerator, by=applicant_a,
                                               upload=SimpleUploadedFile("notes.pdf", PDF))  # fmt: skip
    meeting = sprint_services.meeting_record(engagement=accelerator, by=applicant_a, title="Kick-off",
                                             starts_at=timezone.now())  # fmt: skip
    risk = sprint_services.risk_log(engagement=accelerator, by=people["sponsor_x"], kind="risk", title="Data access",
                                    severity="high", description="", mitigation="")  # fmt: skip
    milestone = sprint_services.milestone_plan(engagement=accelerator, by=staff, title="Alpha",
                                               due_on=timezone.localdate() + timedelta(days=30),
                                               tranche_amount=1000)  # fmt: skip
    lesson = sprint_services.lesson_record(engagement=accelerator, by=applicant_a, what_worked="Demos",
                                           what_did_not="Data", differently="Earlier")  # fmt: skip
    impact_return = make_impact_return(engagement=accelerator)
    benefit = Benefit.objects.create(challenge=other, sponsor=body_x, kind="cashable", title="Saving",
                                     amount=1000, recurrence="one_off", evidence="Finance report",
                                     recorded_by=people["sponsor_x"])  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the export runs (eagerly) as it would after commit
        export = export_request(kind="figures_csv", params={}, by=staff)
    sprint = accelerator.sprints.first()
    args = {
        None: {},
        "org_slug": {"slug": application.organisation.slug},
        "bogus_token": {"token": "not-a-real-token"},
        "clarification": {"pk": clarification.pk},
        "challenge_page": {"challenge_page_id": challenge.pk},
        "challenge_path": {"body": challenge.get_parent().slug, "slug": challenge.slug},
        "page": {"page_id": challenge.pk},
        "challenge": {"pk": challenge.pk},
        "application": {"pk": application.pk},
        "application_section": {"pk": application.pk, "key": "idea"},
        "application_version": {"pk": application.pk, "number": 1},
        "application_stage": {"pk": application.pk, "stage": "application"},
        "application_form": {"pk": ApplicationForm.default().pk},
        "attachment": {"pk": application.pk, "attachment_id": attachment.pk},
        "assignment": {"pk": assignment.pk},
        "engagement": {"pk": accelerator.pk},
        "sprint": {"pk": accelerator.pk, "sprint_id": sprint.pk},
        "deliverable": {"pk": accelerator.pk, "deliverable_id": deliverable.pk},
        "meeting": {"pk": accelerator.pk, "meeting_id": meeting.pk},
        "document": {"pk": accelerator.pk, "document_id": document.pk},
        "risk": {"pk": accelerator.pk, "risk_id": risk.pk},
        "milestone": {"pk": accelerator.pk, "milestone_id": milestone.pk},
        "lesson": {"pk": accelerator.pk, "lesson_id": lesson.pk},
        "pitch_challenge": {"challenge_id": other.pk},
        "impact_return": {"pk": impact_return.pk},
        "benefit": {"pk": benefit.pk},
        "figure": {"key": "prototype_funding"},
        "export": {"pk": export.pk},
        "contract": {"pk": accelerator.contract.pk},
        "round_slug": {"slug": round_.slug},
        "dataset": {"slug": "challenges"},
    }
    return people, args


# Third-party URL namespaces and names, each with the rule that covers all of its patterns and one URL that
# stands for them: allauth's pages are public (sign-in, sign-up…); Wagtail's admin lets in only people with
# admin access (staff, and sponsors for their own challenges — Wagtail's own page permissions then apply).
THIRD_PARTY = {
    "account_": ("/accounts/login/", PUBLIC),
    "mfa_": ("/accounts/2fa/", row(default=OK)),
    "socialaccount_": ("/accounts/3rdparty/", row(default=OK)),
    "openid_connect_": (None, None),  # present only when OIDC_* is configured; allauth's own views
    "wagtail": ("/admin/", ADMIN_USERS),
}


def third_party_rule(name: str):
    return next((rule for prefix, rule in THIRD_PARTY.items() if name.split(":")[0].startswith(prefix)), None)


def our_url_names() -> list[str]:
    """Every named URL pattern outside third-party namespaces (Wagtail's admin and allauth have rules below)."""
    names = []

    def walk(resolver, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(x for x in (namespace, pattern.namespace) if x) if pattern.namespace else namespace
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    return sorted(set(names))


def outcome(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302 and ("/accounts/login/" in location or "/admin/login/" in location):
        return LOGIN
    if response.status_code == 302 and location == "/admin/":
        return NO  # Wagtail turns a refusal inside the admin into a redirect home with the reason
    if response.status_code in (200, 201, 204, 302):
        return OK
    assert response.status_code in (400, 401, 403, 404, 405), (response.status_code, response.content[:300])
    return NO


@pytest.mark.parametrize("role", ROLES)
def test_every_url_for_every_person(client, world, role):
    people, args = world
    if role != "anonymous":
        client.force_login(people[role])
    observed = {}
    for name, (arg_key, method, _) in EXPECTED.items():
        url = reverse(name, kwargs=args[arg_key])
        response = client.post(url) if method == "post" else client.get(url)
        observed[name] = outcome(response)
    wrong = {
        name: (observed[name], EXPECTED[name][2][role])
        for name in EXPECTED
        if observed[name] != EXPECTED[name][2][role]
    }
    assert wrong == {}, f"{role}: observed vs expected {wrong}"


def test_every_url_has_an_entry():
    """A new URL must say, in EXPECTED, who may reach it (or belong to a third-party namespace with a rule)."""
    missing = [name for name in our_url_names() if name not in EXPECTED and third_party_rule(name) is None]
    assert missing == [], f"add these URLs to EXPECTED in tests/test_url_matrix.py: {missing}"
    stale = [name for name in EXPECTED if name not in our_url_names()]
    assert stale == [], f"EXPECTED names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_third_party_namespaces_follow_their_rule(client, world, role):
    people, _ = world
    if role != "anonymous":
        client.force_login(people[role])
    for prefix, (url, expected) in THIRD_PARTY.items():
        if url is not None:
            assert outcome(client.get(url)) == expected[role], (prefix, url, role)


def test_sponsors_see_only_their_own_body_in_the_lists_everyone_may_open(client, world):
    """The lists the table allows to every sponsor or signed-in person show each only their own things."""
    people, _ = world
    client.force_login(people["sponsor_x"])
    assert "Challenge of Body Y" not in client.get(reverse("challenge_pipeline:index")).content.decode()
    assert "How many clinics?" in client.get(reverse("challenges:answer_list")).content.decode()
    for someone in ("sponsor_y", "applicant_b", "assessor_unassigned"):
        client.force_login(people[someone])
        for name in ("challenges:answer_list", "applications:sponsor_dashboard", "applications:assess_queue",
                     "sprints:list", "impact:returns", "impact:benefits"):  # fmt: skip
            html = client.get(reverse(name)).content.decode()
            assert "How many clinics?" not in html and "Challenge X2" not in html, (someone, name)


# --- Breadcrumbs: every full page of ours says where it is --------------------------------------------
# Pages of the site (not the admin, the API or a download) that show no breadcrumb trail, each with its reason.
# Allauth's sign-in pages and the home page are not ours to walk here (the home page: tests/cms/test_navigation.py).
NO_TRAIL = {
    "accounts:dashboard": "trails start here: Home › Your account is the whole trail, shown on the pages below it",
}
# Pages that are full pages only in a state the world above does not give by a GET: how to reach each one.
PAGE_REQUESTS = {
    # the question form has a page of its own only after a post it could not send (here: questions have closed)
    "challenges:ask": ("applicant_b", "post", {"question": "How many clinics are there?"}),
    # an invitation's page, for a real invitation (the table above asks with a made-up token)
    "organisations:invitation_accept": ("anonymous", "get", {}),
}


def _site_page(response) -> bool:
    """A page in base.html's layout: not the admin, the API's own documentation page, a feed, JSON or a file."""
    return response.get("Content-Type", "").startswith("text/html") and b'class="ds_page__middle"' in response.content


def test_every_full_page_has_a_breadcrumb_trail(client, world):
    from organisations.models import Invitation, Organisation, hash_token

    people, args = world
    organisation = Organisation.objects.get(slug=args["org_slug"]["slug"])
    Invitation.objects.create(
        organisation=organisation, email="colleague@example.org", role="member", token_hash=hash_token("a-token"),
        expires_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    args = args | {"invitation": {"token": "a-token"}}
    keys = {"organisations:invitation_accept": "invitation"}  # a real invitation, not the made-up token

    pages, missing = [], []
    for name, (arg_key, method, outcomes) in EXPECTED.items():
        role, data = next((r for r in ROLES if outcomes[r] == OK), None), {}
        if name in PAGE_REQUESTS:
            role, method, data = PAGE_REQUESTS[name]
        if role is None:
            continue  # nobody reaches it in this world
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        url = reverse(name, kwargs=args[keys.get(name, arg_key)])
        response = client.post(url, data) if method == "post" else client.get(url)
        if not _site_page(response):
            continue
        pages.append(name)
        if b'aria-label="Breadcrumb"' not in response.content and name not in NO_TRAIL:
            missing.append(name)
    assert missing == [], f"no breadcrumbs on {missing}: add them to civtech.navigation.TRAILS or NO_TRAIL"
    assert {"challenges:ask", "organisations:invitation_accept", "sprints:pitch_decision"} <= set(pages)
    stale = [name for name in NO_TRAIL if name not in pages]
    assert stale == [], f"NO_TRAIL names what is not a page: {stale}"
