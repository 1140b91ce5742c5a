"""No private field reaches an anonymous client: every key of every public response is checked against an allow-list
per endpoint, and the private facts of the programme (emails, turnover, answers, scores, unverified figures, private
contracts, drafts, unsuccessful applicants) appear nowhere in any public output."""

import json

import pytest

from accounts.models import User
from applications.models import Application
from tests.api.conftest import PRIVATE_BUYER, PRIVATE_VALUE
from tests.conftest import response_text
from tests.factories import GOOD_ANSWERS

pytestmark = pytest.mark.django_db

REF = {"name", "slug"}
CHALLENGE_REF = {"id", "title"}
ROUND_REF = {"id", "name", "slug"}
ALLOWED = {
    "/api/v1/rounds/": {
        "": {"id", "name", "slug", "code", "description", "call_opens", "questions_close", "call_closes",
             "shortlist_by", "interviews_start", "interviews_end", "exploration_start", "exploration_end", "pitch_at",
             "accelerator_start", "accelerator_end", "demo_day", "exploration_payment", "accelerator_max",
             "shortlist_count", "exploration_teams", "accelerator_teams", "challenge_count", "stages"},
        "stages[]": {"kind", "name", "starts", "ends", "questions_close", "teams", "payment", "payment_basis",
                     "method"},
    },
    "/api/v1/challenges/": {
        "": {"id", "title", "slug", "url", "ocid", "summary", "status", "round", "sponsor", "sectors",
             "exploration_payment", "accelerator_max", "follow_on_value", "first_published_at"},
        "round": ROUND_REF, "sponsor": REF,
    },
    "/api/v1/questions/": {"": {"id", "challenge", "question", "answer", "answered_at"}, "challenge": CHALLENGE_REF},
    "/api/v1/companies/": {
        "": {"name", "slug", "kind", "website", "region", "description", "sectors", "is_sme", "engagements"},
        "engagements[]": {"challenge", "stages"}, "engagements[].challenge": CHALLENGE_REF,
    },
    "/api/v1/solutions/": {
        "": {"id", "challenge", "sponsor", "round", "team", "description", "starts_on", "ends_on", "outcome",
             "follow_on_contracts"},
        "challenge": {"id", "title", "url"}, "sponsor": REF, "round": ROUND_REF, "team": REF,
        "follow_on_contracts[]": {"id", "kind", "title", "buyer", "value", "awarded_on"},
        "follow_on_contracts[].buyer": REF,
    },
    "/api/v1/contracts/": {
        "": {"id", "kind", "title", "challenge", "buyer", "supplier", "value", "current_value", "amount_paid",
             "awarded_on", "starts_on", "ends_on", "status"},
        "challenge": CHALLENGE_REF, "buyer": REF, "supplier": REF,
    },
}  # fmt: skip


def shapes(value, path="") -> dict[str, set[str]]:
    """Every object's keys in a JSON value, by path (list items as `[]`)."""
    found: dict[str, set[str]] = {}
    if isinstance(value, dict):
        found.setdefault(path, set()).update(value)
        for key, item in value.items():
            for sub, keys in shapes(item, f"{path}.{key}" if path else key).items():
                found.setdefault(sub, set()).update(keys)
    elif isinstance(value, list):
        for item in value:
            for sub, keys in shapes(item, f"{path}[]").items():
                found.setdefault(sub, set()).update(keys)
    return found


@pytest.mark.parametrize("url", sorted(ALLOWED))
def test_every_key_of_every_row_is_on_the_allow_list(programme, anon, url):
    body = anon.get(url).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["results"], "the fixture must give every endpoint rows, or the test proves nothing"
    found = shapes(body["results"][0:])  # paths start at "[]"
    got = {path.removeprefix("[]").removeprefix("."): keys for path, keys in found.items()}
    assert got == ALLOWED[url], f"{url} publishes keys outside its allow-list"
    detail_key = "slug" if url in ("/api/v1/rounds/", "/api/v1/companies/") else "id"
    detail = anon.get(f"{url}{body['results'][0][detail_key]}/")
    assert detail.status_code == 200
    assert set(detail.json()) == ALLOWED[url][""]


def test_impact_figures_have_a_fixed_shape(programme, anon):
    from impact.reporting import FIGURES

    body = anon.get("/api/v1/impact/").json()
    keys = {f.key for f in FIGURES}
    assert set(body) == {"filters", "definitions", "figures", "net", "dimension", "breakdown"}
    assert set(body["figures"]) == keys
    assert all(set(row) == keys | {"key", "label"} for row in body["breakdown"])


def test_impact_counts_only_verified_records(programme, anon):
    """The private follow-on (verified) counts in the aggregate, the unverified reuse contract does not."""
    figures = anon.get("/api/v1/impact/").json()["figures"]
    from decimal import Decimal

    assert Decimal(figures["follow_on_value"]) == Decimal("250000") + PRIVATE_VALUE


def private_facts(programme) -> list[str]:
    facts = [email for email in User.objects.values_list("email", flat=True)]
    facts += [GOOD_ANSWERS["idea"], GOOD_ANSWERS["team"], "500000", "An unanswered question about our secret plan?",
              "Draft challenge never published", PRIVATE_BUYER, str(PRIVATE_VALUE), "987654", "Unverified reuse",
              "Unverified Council", "4321", "Letter from the buyer", "A rumour"]  # fmt: skip
    unsuccessful = Application.objects.filter(challenge=programme.evaluated).select_related("organisation")
    facts += [a.organisation.name for a in unsuccessful]
    facts += [a.reference for a in Application.objects.exclude(reference=None)]
    return facts


CSV_SLUGS = ("rounds", "challenges", "questions", "companies", "solutions", "contracts", "impact-by-round")
PUBLIC_URLS = [
    *(f"{url}?limit=500" for url in ALLOWED),
    "/api/v1/impact/",
    "/api/v1/impact/?by=sponsor",
    "/api/v1/impact/?by=region",
    "/api/v1/ocds/releases.json",
    "/api/v1/ocds/records.json",
    *(f"/open-data/{slug}.csv" for slug in CSV_SLUGS),
]


def test_no_private_fact_appears_in_any_public_output(programme, anon):
    facts = private_facts(programme)
    for url in PUBLIC_URLS:
        response = anon.get(url)
        assert response.status_code == 200, url
        text = response_text(response)
        if url.endswith(".json") or url.startswith("/api/"):
            text = json.dumps(response.json(), ensure_ascii=False)
        leaked = [fact for fact in facts if fact and fact in text]
        assert leaked == [], f"{url} leaks {leaked}"


def test_private_contracts_are_never_listed_but_public_ones_are(programme, anon):
    rows = anon.get("/api/v1/contracts/?limit=500").json()["results"]
    kinds = sorted({row["kind"] for row in rows})
    assert kinds == ["accelerator", "exploration", "follow_on"]
    assert programme.private.pk not in {row["id"] for row in rows}
    assert anon.get(f"/api/v1/contracts/{programme.private.pk}/").status_code == 404
    assert anon.get(f"/api/v1/contracts/{programme.unverified.pk}/").status_code == 404


def test_drafts_and_unanswered_questions_are_not_found(programme, anon):
    assert anon.get(f"/api/v1/challenges/{programme.draft.pk}/").status_code == 404
    rows = anon.get("/api/v1/questions/").json()["results"]
    assert [row["question"] for row in rows] == ["Can we use open source?"]


def test_only_engaged_companies_are_public(programme, anon):
    slugs = {row["slug"] for row in anon.get("/api/v1/companies/?limit=500").json()["results"]}
    assert programme.explorers[0].organisation.slug in slugs
    assert not slugs & {a.organisation.slug for a in programme.losers}
    assert programme.applicant.memberships.get().organisation.slug not in slugs
    assert programme.body.slug not in slugs  # public bodies appear as sponsors and buyers, not companies
    assert anon.get(f"/api/v1/companies/{programme.losers[0].organisation.slug}/").status_code == 404
