"""Least privilege in the admin, proven against every admin route the resolver knows (Wagtail's and ours).

The routes are generated from the URL resolver, so a snippet, report or chooser added tomorrow is walked the day it
appears. Each is requested (GET and POST) as a sponsor of body X, a sponsor of body Y, an assessor, an applicant,
staff who skipped the second factor, and staff, with its arguments pointing at objects outside the person's scope.
A response that shows anything outside that scope fails: another body's draft challenge or files, an application's
answers, applicants' addresses, outbound email, a private company.
"""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, Revision, Task, TaskState, WorkflowState
from wagtail_factories import ImageFactory

from accounts.admin_scope import SPONSOR_ROUTES, admin_route_allowed
from notifications.models import OutboundEmail
from tests.factories import GOOD_ANSWERS, make_applicant, make_challenge
from tests.test_url_matrix import world  # noqa: F401  (the shared world of people and objects)

pytestmark = pytest.mark.django_db

ROLES = ["sponsor_x", "sponsor_y", "assessor_assigned", "applicant_a", "staff_without_second_factor", "staff"]


def admin_routes() -> list[tuple[str, str, list[str]]]:
    """(url name, route with placeholders, argument names) for every pattern under /admin/."""
    routes = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(x for x in (namespace, pattern.namespace) if x) if pattern.namespace else namespace
                walk(pattern, route, inner)
            elif isinstance(pattern, URLPattern) and route.startswith("admin/") and ".*" not in route:
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or "")
                routes.append((name, route, list(pattern.pattern.regex.groupindex)))

    walk(get_resolver(), "", "")
    return routes


def snippet_model(name: str):
    """The model behind a snippet viewset's or chooser's namespace, e.g. wagtailsnippets_applications_application."""
    from django.apps import apps

    match = re.match(r"wagtailsnippet(?:s|choosers)_([a-z]+)_([a-z]+):", name)
    return apps.get_model(match[1], match[2]) if match else None


def concrete_path(name: str, route: str, arguments: list[str], values: dict) -> str:
    model = snippet_model(name)
    filled = {}
    for argument in arguments:
        if argument in ("pk", "object_id") and model is not None:
            first = model.objects.order_by("pk").first()
            filled[argument] = str(first.pk if first else 1)
        else:
            filled[argument] = str(values.get(argument, 1))
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: filled[m[1]], route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: filled[m[1]], path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "").replace("?", "")


@pytest.fixture
def scope_world(world):  # noqa: F811
    """The URL matrix's world, plus things that belong to one side only, each carrying a marker to look for."""
    people, _ = world
    x_draft = make_challenge(sponsor=_body(people["sponsor_x"]), title="Draft of Body X zqx", live=False)
    y_draft = make_challenge(sponsor=_body(people["sponsor_y"]), title="Draft of Body Y zqy", live=False)
    documents = get_document_model()
    x_doc = documents.objects.create(title="Briefing of Body X zqdx", uploaded_by_user=people["sponsor_x"],
                                     file=ContentFile(b"x", name="x.txt"))  # fmt: skip
    y_doc = documents.objects.create(title="Briefing of Body Y zqdy", uploaded_by_user=people["sponsor_y"],
                                     file=ContentFile(b"y", name="y.txt"))  # fmt: skip
    root = Collection.get_first_root_node()  # where the admin files uploads (the factory makes its own collection)
    x_image = ImageFactory(title="Photo of Body X zqix", uploaded_by_user=people["sponsor_x"], collection=root)
    y_image = ImageFactory(title="Photo of Body Y zqiy", uploaded_by_user=people["sponsor_y"], collection=root)
    OutboundEmail.objects.create(to="someone@example.com", subject="Outbound subject zqe", body_text="zqe body",
                                 from_email="no-reply@example.com")  # fmt: skip
    private_company = make_applicant(mfa=False).memberships.get().organisation
    private_company.name = "Private company zqc"
    private_company.save()
    everyone_private = [
        GOOD_ANSWERS["idea"], "Outbound subject zqe", "Private company zqc",
        people["applicant_a"].email, people["applicant_b"].email,
    ]  # fmt: skip
    x_side = ["Draft of Body X zqx", "Briefing of Body X zqdx", "Photo of Body X zqix"]
    y_side = ["Draft of Body Y zqy", "Briefing of Body Y zqdy", "Photo of Body Y zqiy"]
    out_of_scope = {
        "sponsor_x": everyone_private + y_side,
        "sponsor_y": everyone_private + x_side,
        "assessor_assigned": everyone_private + x_side + y_side,
        "applicant_a": everyone_private + x_side + y_side,
        "staff_without_second_factor": everyone_private + x_side + y_side,
        "staff": [],
    }

    # Route arguments point at the other side's things (for sponsor X: Y's; for everyone else: X's).
    def values_for(role):
        page, doc, image = (y_draft, y_doc, y_image) if role == "sponsor_x" else (x_draft, x_doc, x_image)
        return {
            "page_id": page.pk, "parent_page_id": page.get_parent().pk, "page_to_move_id": page.pk,
            "destination_id": page.get_parent().pk, "pk": page.pk, "object_id": page.pk,
            "revision_id": Revision.objects.filter(object_id=str(page.pk)).values_list("pk", flat=True).first(),
            "revision_id_a": "earliest", "revision_id_b": "latest",
            "document_id": doc.pk, "doc_id": doc.pk, "image_id": image.pk,
            "app_label": "wagtailcore", "model_name": "page",
            "content_type_app_name": "challenges", "content_type_model_name": "challengepage",
            "task_state_id": (TaskState.objects.values_list("pk", flat=True).first() or 1),
            "task_id": (Task.objects.values_list("pk", flat=True).first() or 1),
            "workflow_state_id": (WorkflowState.objects.values_list("pk", flat=True).first() or 1),
            "user_id": people["applicant_a"].pk, "filter_spec": "original", "action_name": "approve",
        }  # fmt: skip

    return people, out_of_scope, values_for


def _body(user):
    return user.memberships.get().organisation


def sign_in_as(client, people, role):
    if role == "staff_without_second_factor":
        client.force_login(people["staff"], second_factor=False)
    else:
        client.force_login(people[role])


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_route_shows_each_person_only_their_scope(client, scope_world, role):
    people, out_of_scope, values_for = scope_world
    sign_in_as(client, people, role)
    values = values_for(role)
    leaks, errors = [], []
    for name, route, arguments in admin_routes():
        path = concrete_path(name, route, arguments, values)
        for method in ("get", "post"):
            if role == "staff" and (method == "post" or name == "wagtailadmin_error_test"):
                continue  # staff may change anything (their posts are the services' tests); Wagtail's error test
                # route raises on purpose, for staff only (everyone else is refused it above)
            response = getattr(client, method)(path)
            responses = [(method, path, response)]
            if method == "get" and response.status_code == 200 and out_of_scope[role]:
                # A page it may open is searched too: choosers and listings filter search results separately.
                searched = f"{path}{'&' if '?' in path else '?'}q=Body"
                responses.append(("get", searched, client.get(searched)))
            for method_, path_, answer in responses:
                if answer.status_code >= 500:
                    errors.append((method_, path_, answer.status_code))
                body = b"" if answer.streaming else answer.content
                text = body.decode(errors="replace")
                leaks += [(method_, path_, marker) for marker in out_of_scope[role] if marker in text]
            if role == "staff_without_second_factor":
                assert response.status_code == 302 and "/2fa/reauthenticate/" in response["Location"], path
    assert errors == [], f"{role}: server errors {errors}"
    assert leaks == [], f"{role} saw what is outside their scope: {leaks}"


def test_the_walk_reaches_the_doors_that_leaked(client, scope_world):
    """The routes found leaking in the attack on the running product are among those walked, and refused."""
    people, _, _ = scope_world
    names = {name for name, _, _ in admin_routes()}
    leaked = [
        "wagtailsnippetchoosers_applications_application:choose",
        "wagtailsnippetchoosers_applications_application:chosen",
        "wagtailsnippetchoosers_notifications_outboundemail:choose",
        "wagtailsnippetchoosers_cms_demodayregistration:choose",
        "wagtailsnippetchoosers_ledger_contract:choose",
        "wagtailsnippetchoosers_ledger_payment:choose",
        "wagtailsnippetchoosers_impact_impactreturn:choose",
        "wagtailsnippetchoosers_impact_benefit:choose",
        "wagtailsnippetchoosers_applications_score:choose",
        "wagtailsnippetchoosers_organisations_organisation:choose",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_pages:search",
    ]
    assert set(leaked) <= names
    client.force_login(people["sponsor_x"])
    for name in leaked:
        kwargs = {"pk": "1"} if name.endswith(":chosen") else {}
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name


def test_sponsors_keep_what_writing_their_own_challenge_needs(client, scope_world):
    people, _, _ = scope_world
    sponsor = people["sponsor_x"]
    client.force_login(sponsor)
    page = make_challenge(sponsor=_body(sponsor), title="Another draft of Body X", live=False)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert client.get(reverse("challenge_pipeline:index")).status_code == 200
    assert client.get(reverse("wagtailsnippetchoosers_challenges_round:choose")).status_code == 200
    assert client.get(reverse("wagtailsnippetchoosers_challenges_sector:choose")).status_code == 200
    documents = client.get(reverse("wagtaildocs_chooser:choose")).content.decode()
    assert "Briefing of Body X zqdx" in documents and "Briefing of Body Y zqdy" not in documents
    searched = client.get(reverse("wagtaildocs_chooser:choose"), {"q": "Body"}).content.decode()
    assert "Briefing of Body X zqdx" in searched and "Briefing of Body Y zqdy" not in searched
    images = client.get(reverse("wagtailimages_chooser:choose")).content.decode()
    assert "Photo of Body X zqix" in images and "Photo of Body Y zqiy" not in images
    pages = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Draft"}).content.decode()
    assert "Another draft of Body X" in pages and "Draft of Body Y zqy" not in pages


def test_a_colleague_in_the_same_body_shares_its_files(client, scope_world):
    people, _, _ = scope_world
    from tests.factories import make_sponsor_member

    colleague = make_sponsor_member(_body(people["sponsor_x"]), mfa=True)
    client.force_login(colleague)
    doc = get_document_model().objects.get(title="Briefing of Body X zqdx")
    other = get_document_model().objects.get(title="Briefing of Body Y zqdy")
    assert client.get(reverse("wagtaildocs_chooser:chosen", args=[doc.pk])).status_code == 200
    assert client.get(reverse("wagtaildocs_chooser:chosen", args=[other.pk])).status_code == 403


def test_a_new_admin_route_is_closed_to_sponsors_until_someone_opens_it(scope_world):
    """Default deny: the allowlist names routes; any other admin path (a made-up one included) is refused."""
    people, _, _ = scope_world
    sponsor = people["sponsor_x"]
    assert not admin_route_allowed(sponsor, "/admin/a-route-added-tomorrow/")
    assert not admin_route_allowed(sponsor, "/admin/snippets/applications/application/")
    assert admin_route_allowed(people["staff"], "/admin/snippets/applications/application/")
    stale = SPONSOR_ROUTES - {name for name, _, _ in admin_routes()} - {
        "accounts:admin_login_door", "accounts:admin_password_reset_door",
    }  # fmt: skip
    assert stale == set(), f"SPONSOR_ROUTES names routes that no longer exist: {stale}"
