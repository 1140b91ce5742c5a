"""The pages: never a 500, clear messages for empty or odd queries, escaped output, constant query counts."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from civtech.permissions import ALLOWED, has_permission
from organisations.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PublicBodyFactory,
    UserFactory,
    make_application,
    make_challenge,
    make_round,
    make_sector,
    sign_in,
    staff_user,
)

from .conftest import make_solution, rebuild

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "how can we"},
        {"q": '"unbalanced AND (OR NOT * ^'},
        {"q": "x" * 5000},
        {"q": "data", "page": "abc"},
        {"q": "data", "page": "99999"},
        {"q": "data", "sector": "nope", "status": "nonsense", "type": "<script>"},
        {"q": "\ufffd emoji 🐟"},  # a NUL is refused before any view: tests/test_query_strings.py
        {"q": "NEAR(a b)"},
    ],
)
def test_odd_queries_never_fail(client, params):
    make_challenge(title="Data for buses")
    rebuild()
    response = client.get("/search/", params)
    assert response.status_code == 200


def test_empty_search_explains_what_to_do(client):
    response = client.get("/search/")
    assert b"Type a few words" in response.content


def test_no_results_message_and_did_you_mean_link(client):
    make_challenge(title="Monitor historic stonework", summary="Stonework decay.")
    rebuild()
    assert b"No results" in client.get("/search/", {"q": "zebras"}).content
    body = client.get("/search/", {"q": "stonwork"}).content.decode()
    assert "No results for “stonwork”. Showing results for <strong>stonework</strong>" in body


def test_results_show_facets_and_escape_titles(client):
    sector = make_sector("Transport")
    make_challenge(title="Buses <script>alert(1)</script>", sectors=[sector])
    rebuild()
    body = client.get("/search/", {"q": "buses"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert" not in body
    assert 'name="sector"' in body and "Transport" in body
    assert "<mark>" in body or "Buses" in body


def test_search_query_count_is_constant(client, django_assert_max_num_queries):
    for i in range(3):
        make_challenge(title=f"Data project {i}")
    rebuild()
    with django_assert_max_num_queries(20) as few:
        client.get("/search/", {"q": "data"})
    for i in range(25):
        make_challenge(title=f"More data project {i}")
    rebuild()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/search/", {"q": "data"})


def test_solutions_catalogue_lists_products_with_constant_queries(client, django_assert_max_num_queries):
    buyer = PublicBodyFactory(name="Orkney Islands Council")
    make_solution(reuse_by=buyer)
    with django_assert_max_num_queries(20) as one:
        response = client.get("/solutions/")
    assert response.status_code == 200
    assert "Orkney Islands Council" in response.content.decode()
    for _ in range(3):
        make_solution(reuse_by=buyer)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/solutions/")
    assert response.context["paginator"].count == 4


def test_solutions_filters(client):
    sector = make_sector("Heritage")
    first = make_solution(
        challenge=make_challenge(title="Stone", sectors=[sector], round=make_round(opened_days_ago=120))
    )
    make_solution()
    response = client.get("/solutions/", {"sector": str(sector.pk)})
    assert [s.pk for s in response.context["solutions"]] == [first.pk]
    assert client.get("/solutions/", {"sector": "999999", "region": "mars"}).status_code == 200
    assert client.get(reverse("discovery:solution", args=[first.pk])).status_code == 200


def test_unfinished_accelerator_is_not_a_solution(client):
    from tests.factories import make_engagement

    engagement = make_engagement(stage="accelerator")
    assert client.get(reverse("discovery:solution", args=[engagement.pk])).status_code == 404


def test_company_profile_shows_public_fields_only(client):
    company = OrganisationFactory(name="Kite Labs", address="9 Private Lane", employees=3, turnover=42424)
    from tests.factories import make_applicant

    make_solution(applicant=make_applicant(organisation=company))
    body = client.get(reverse("discovery:company", args=[company.slug])).content.decode()
    assert "Kite Labs" in body and "Private Lane" not in body and "42424" not in body and "42,424" not in body
    stranger = OrganisationFactory()
    assert client.get(reverse("discovery:company", args=[stranger.slug])).status_code == 404


def test_recommendations_for_a_company_member(client):
    health = make_sector("Health and social care")
    company = OrganisationFactory(description="We build appointment booking tools for clinics.")
    company.sectors.set([health])
    user = UserFactory()
    MembershipFactory(organisation=company, user=user, role=Membership.Role.ADMIN)
    make_challenge(title="Reduce missed clinic appointments", sectors=[health])
    make_challenge(title="Predict potholes")
    make_challenge(title="Old clinic appointments challenge", round=make_round(opened_days_ago=400))
    rebuild()
    sign_in(client, user)
    response = client.get("/search/recommended/")
    assert response.status_code == 200
    titles = [hit.title for hit in response.context["recommendations"].hits]
    assert titles[0] == "Reduce missed clinic appointments"
    assert "Old clinic appointments challenge" not in titles  # closed long ago


def test_recommendations_exclude_challenges_already_applied_for(client):
    company = OrganisationFactory(description="Clinic booking tools.")
    from tests.factories import make_applicant

    user = make_applicant(organisation=company)
    applied = make_challenge(title="Clinic booking")
    make_application(challenge=applied, applicant=user)
    make_challenge(title="Clinic waiting lists")
    rebuild()
    sign_in(client, user)
    titles = [h.title for h in client.get("/search/recommended/").context["recommendations"].hits]
    assert titles == ["Clinic waiting lists"]


def test_recommendations_need_a_company(client):
    assert client.get("/search/recommended/").status_code == 302  # sign in first
    body = PublicBodyFactory()
    sign_in(client, MembershipFactory(organisation=body).user)
    assert client.get("/search/recommended/").status_code == 403


def test_similar_is_for_the_sponsor_and_staff_only_and_uses_the_draft(client):
    sponsor = PublicBodyFactory()
    past = make_challenge(title="Monitor stonework decay", round=make_round(opened_days_ago=200))
    make_solution(challenge=past)
    draft = make_challenge(title="Untitled", sponsor=sponsor, live=False)
    revision = draft.latest_revision
    content = dict(revision.content)
    content["title"] = "Spot stonework decay from photographs"
    revision.content = content
    revision.save()
    rebuild()
    url = f"/search/similar/?challenge={draft.pk}"
    sign_in(client, UserFactory())
    assert client.get(url).status_code == 403
    client.logout()
    sign_in(client, MembershipFactory(organisation=sponsor).user)
    response = client.get(url)
    assert response.status_code == 200
    assert [h.title for h in response.context["challenges"]] == ["Monitor stonework decay"]
    assert len(response.context["solutions"]) == 1
    client.logout()
    staff = staff_user()
    client.force_login(staff)
    assert client.get("/search/similar/?challenge=abc").status_code in (302, 404)


def test_editor_button_for_the_sponsor_only():
    from discovery.wagtail_hooks import similar_challenges_button

    sponsor = PublicBodyFactory()
    page = make_challenge(sponsor=sponsor, live=False)
    member = MembershipFactory(organisation=sponsor).user
    buttons = list(similar_challenges_button(page, member, "edit"))
    assert [b.url for b in buttons] == [f"/search/similar/?challenge={page.pk}"]
    assert list(similar_challenges_button(page, UserFactory(), "edit")) == []
    assert list(similar_challenges_button(page.get_parent(), member, "edit")) == []


# --- The rules asked directly, each refusal alone with its reason (mutation testing) ----------------------------------
def test_recommendations_are_for_signed_in_members_of_a_company_each_refusal_alone():
    company = OrganisationFactory()
    member = MembershipFactory(organisation=company).user
    body = PublicBodyFactory()
    body_member = MembershipFactory(organisation=body).user

    assert has_permission("search.recommend", member, company) == ALLOWED
    assert has_permission("search.recommend", AnonymousUser(), company) == (
        False, "Sign in to see challenges recommended for your company.",
    )  # fmt: skip
    assert has_permission("search.recommend", member, None) == (
        False, "Join or create a company profile to get recommendations.",
    )  # fmt: skip
    # A member of the public body, asking about that body: membership holds, the kind alone refuses.
    assert has_permission("search.recommend", body_member, body) == (
        False, "Recommendations are for companies; public bodies see similar past challenges instead.",
    )  # fmt: skip
    # Signed in, a company, but not its member (a member of another company, too).
    for outsider in (UserFactory(), MembershipFactory(organisation=OrganisationFactory()).user):
        assert has_permission("search.recommend", outsider, company) == (
            False, "Only members of this company can see its recommendations.",
        )  # fmt: skip


def test_similar_challenges_are_for_the_sponsor_and_staff_each_refusal_alone():
    sponsor = PublicBodyFactory()
    challenge = make_challenge(sponsor=sponsor, live=False)
    refused = (False, "Only the challenge's sponsor and the CivTech team can see this.")

    assert has_permission("search.similar", staff_user(), challenge) == ALLOWED
    assert has_permission("search.similar", MembershipFactory(organisation=sponsor).user, challenge) == ALLOWED
    assert has_permission("search.similar", AnonymousUser(), challenge) == (
        False, "Sign in to see similar challenges and solutions.",
    )  # fmt: skip
    assert has_permission("search.similar", UserFactory(), challenge) == refused
    assert (
        has_permission("search.similar", MembershipFactory(organisation=PublicBodyFactory()).user, challenge) == refused
    )


def test_a_company_profile_costs_the_same_queries_for_one_solution_and_many(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_applicant

    company = OrganisationFactory(name="Kite Labs")
    url = reverse("discovery:company", args=[company.slug])

    def queries() -> int:
        client.get(url)  # new public content: the page's shared parts are made again once, then kept
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_solution(applicant=make_applicant(organisation=company))
    one = queries()
    for _ in range(4):
        make_solution(applicant=make_applicant(organisation=company))
    assert queries() <= one
    import re

    assert len(re.findall(r'href="/solutions/\d+/"', client.get(url).content.decode())) == 5  # all five are listed
