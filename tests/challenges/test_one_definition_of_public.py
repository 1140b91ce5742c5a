"""One definition of "public" (issue #16, item 3): `challenges.selectors.public_challenges` decides, and every public
output lists the public challenge and never a view-restricted or unpublished one, nor anything that hangs off them
(questions, lessons, teams, contracts, impact figures).

The world: one round, five challenges, each from its own sponsor and with its own marker word.
- Harbour: live and unrestricted, the only public one;
- Lighthouse: live, with a login restriction on the page itself;
- Beaconry: live, under a sponsor space with a password restriction (an ancestor);
- Quarryman: was live, with everything below, then unpublished;
- Marshland: a draft never published.
The first four each have an answered question, an accelerator team (a company named after the marker) with its
outcome recorded, a paid stage payment, a verified follow-on contract, published lessons, a verified impact return
and a verified saving. Every output must show Harbour and none of the other markers.

The world is built once for the module (inside a transaction rolled back at the end); each test runs in its own
savepoint as usual.
"""

import csv
import io
import json
import re
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from api.open_data import DATASETS
from challenges import services as challenge_services
from challenges.models import AlertSubscription
from challenges.selectors import on_public_challenge, public_challenge_ids, public_challenges
from challenges.services import clarification_answer, clarification_ask
from discovery.models import SearchDocument
from discovery.selectors import similar_to_challenge
from impact.models import Benefit, ImpactPage, ImpactReturn
from impact.reporting import FIGURES, Filters, breakdown, headline
from ledger.models import Contract
from ledger.services import contract_verify, payment_mark_paid
from sprints.models import Lesson
from sprints.services.outcomes import lesson_publish, lesson_record, outcome_record
from tests.api.conftest import shift_round
from tests.conftest import response_text
from tests.factories import (
    OrganisationFactory,
    PublicBodyFactory,
    add_pitch_criteria,
    make_applicant,
    make_challenge,
    make_demo_day,
    make_engagement,
    make_round,
    make_sector,
    make_sponsor_member,
    staff_user,
)

PUBLIC = "Harbour"
RESTRICTED = ("Lighthouse", "Beaconry")
UNPUBLISHED = "Quarryman"
DRAFT = "Marshland"
HIDDEN = (*RESTRICTED, UNPUBLISHED, DRAFT)
JOBS = {"Harbour": 3, "Lighthouse": 40, "Beaconry": 500, "Quarryman": 6000}  # distinct, so any leak shows


# --- The world ------------------------------------------------------------------------------------------------
def _call(marker, round_, sector):
    """A challenge with an answered question, while the call is open."""
    body = PublicBodyFactory(name=f"{marker} Board", slug=f"{marker.lower()}-board")
    challenge = make_challenge(
        sponsor=body, round=round_, title=f"{marker} tide gauge challenge", sectors=[sector],
        summary=f"{marker}: read the tide gauges from the shore.",
    )  # fmt: skip
    question = clarification_ask(challenge=challenge, by=make_applicant(), question=f"{marker} question: radar?")
    clarification_answer(clarification=question, by=make_sponsor_member(body, mfa=True), answer=f"{marker} yes.")
    return SimpleNamespace(marker=marker, body=body, challenge=challenge, question=question)


def _delivered(family, staff):
    """The accelerator, its money and its results, after the call."""
    today = timezone.localdate()
    company = OrganisationFactory(
        name=f"{family.marker} Robotics Ltd", slug=f"{family.marker.lower()}-robotics", region="glasgow",
        description=f"{family.marker} builds tide gauge sensors.",
    )  # fmt: skip
    team = make_applicant(company)
    accelerator = make_engagement(stage="accelerator", challenge=family.challenge, applicant=team, by=staff)
    exploration = accelerator.application.engagements.get(stage="exploration")
    payment_mark_paid(payment=exploration.contract.payments.get(), paid_on=today, by=staff)
    accelerator = outcome_record(engagement=accelerator, by=staff, outcome="follow_on", value=Decimal("250000"))
    contract_verify(contract=Contract.objects.get(kind=Contract.Kind.FOLLOW_ON, challenge=family.challenge), by=staff)
    lesson = lesson_record(
        engagement=accelerator, by=team, what_worked=f"{family.marker} lesson: sensors", what_did_not="Batteries.",
        differently="Start sooner.",
    )  # fmt: skip
    lesson_publish(lesson=lesson, by=staff)
    end = today - timedelta(days=30)
    ImpactReturn.objects.create(
        engagement=accelerator, organisation=company, kind=ImpactReturn.Kind.PERIODIC, period_start=end - timedelta(
            days=182), period_end=end, due_on=end + timedelta(days=30), submitted_at=timezone.now(),
        verified_at=timezone.now(), jobs_created=JOBS[family.marker], jobs_safeguarded=1, investment_equity=1000,
    )  # fmt: skip
    Benefit.objects.create(
        challenge=family.challenge, sponsor=family.body, kind=Benefit.Kind.CASHABLE, title=f"{family.marker} saving",
        amount=Decimal(JOBS[family.marker] * 100), recurrence=Benefit.Recurrence.ONE_OFF, evidence="Ledger.",
        status=Benefit.Status.VERIFIED, recorded_by=staff,
    )  # fmt: skip
    family.company, family.team, family.engagement, family.lesson = company, team, accelerator, lesson
    family.contracts = list(Contract.objects.filter(challenge=family.challenge))
    return family


def build_world():
    staff = staff_user()
    sector = make_sector("Marine")
    round_ = make_round(name="Tidal round", opened_days_ago=7)
    add_pitch_criteria(round_)
    families = {marker: _call(marker, round_, sector) for marker in JOBS}
    shift_round(round_, 93)  # the call closed and the accelerator ran
    for family in families.values():
        _delivered(family, staff)
    shift_round(round_, -93)  # the call is open again, so open-only outputs (feed, alerts) list the challenges too

    lighthouse, beaconry, quarryman = families["Lighthouse"], families["Beaconry"], families[UNPUBLISHED]
    PageViewRestriction.objects.create(page=lighthouse.challenge, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.create(
        page=beaconry.challenge.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
    )
    quarryman.challenge.unpublish()
    body = PublicBodyFactory(name=f"{DRAFT} Board", slug=f"{DRAFT.lower()}-board")
    draft = make_challenge(sponsor=body, round=round_, title=f"{DRAFT} tide gauge challenge", sectors=[sector],
                           live=False)  # fmt: skip
    families[DRAFT] = SimpleNamespace(marker=DRAFT, body=body, challenge=draft)

    home = Page.objects.get(depth=2)
    impact = home.add_child(instance=ImpactPage(title="Our impact", slug="impact", intro="What we achieved."))
    impact.save_revision().publish()
    demo_day = make_demo_day(round=round_)
    call_command("search_index", "--rebuild", stdout=io.StringIO())
    round_.refresh_from_db()
    return SimpleNamespace(staff=staff, round=round_, sector=sector, demo_day=demo_day, **families)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def anon(db, world):
    return Client()


def text_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response_text(response)


def shows_only_the_public_one(text: str, hidden=HIDDEN) -> None:
    assert PUBLIC in text
    leaked = [marker for marker in hidden if marker.lower() in text.lower()]
    assert not leaked, f"shown: {leaked}"


# --- The selector itself ----------------------------------------------------------------------------------------
def test_the_selector_is_live_and_unrestricted(world, db):
    titles = set(public_challenges().values_list("title", flat=True))
    assert titles == {f"{PUBLIC} tide gauge challenge"}
    # The subquery helpers agree, for a challenge itself and for models that hang off one.
    assert list(public_challenge_ids()) == [{"pk": world.Harbour.challenge.pk}]
    lessons = Lesson.objects.filter(on_public_challenge("engagement__application__challenge"))
    assert list(lessons) == [world.Harbour.lesson]
    # And it is lazy: building it reads nothing, so it composes into other querysets for free.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        public_challenges()
        on_public_challenge("challenge")
    assert len(queries) == 0


def test_lifting_a_restriction_makes_the_challenge_public_again(world, db):
    PageViewRestriction.objects.filter(page=world.Lighthouse.challenge).delete()
    assert set(public_challenges().values_list("title", flat=True)) == {
        f"{PUBLIC} tide gauge challenge",
        f"{RESTRICTED[0]} tide gauge challenge",
    }


# --- Pages, listings, filters and feeds ---------------------------------------------------------------------------
LISTINGS = {
    "listing": lambda w: "/challenges/",
    "listing searched": lambda w: "/challenges/?q=tide",
    "listing filtered": lambda w: f"/challenges/?round={w.round.slug}&sector=marine&status=open&sort=latest",
    "listing filtered by a hidden sponsor": lambda w: "/challenges/?sponsor=lighthouse-board&q=gauge",
    "round page": lambda w: f"/challenges/rounds/{w.round.slug}/",
    "public sponsor space": lambda w: w.Harbour.challenge.get_parent().url,
    "feed (Atom)": lambda w: "/challenges/feed/",
    "public challenge page": lambda w: w.Harbour.challenge.url,
    "public challenge calendar": lambda w: w.Harbour.challenge.url + "calendar/",
    "Demo Day page": lambda w: w.demo_day.url,
    "lessons library": lambda w: "/lessons/",
    "solutions catalogue": lambda w: "/solutions/",
    "solutions catalogue filtered": lambda w: f"/solutions/?sector={w.sector.pk}&region=glasgow",
    "public solution": lambda w: f"/solutions/{w.Harbour.engagement.pk}/",
    "public company profile": lambda w: "/solutions/companies/harbour-robotics/",
}


@pytest.mark.parametrize("name", LISTINGS)
def test_pages_listings_and_feeds(anon, world, name):
    text = text_of(anon, LISTINGS[name](world))
    if name == "listing filtered by a hidden sponsor":  # the notice and the sign-in links' return address repeat
        text = text.replace("“lighthouse-board”", "")  # the slug asked for; nothing else may
        text = re.sub(r"\?next=[^\"]*", "", text)
    shows_only_the_public_one(text)


@pytest.mark.parametrize("marker", HIDDEN)
def test_the_lessons_library_asked_for_a_hidden_challenge_names_nothing_of_it(anon, world, marker):
    text = text_of(anon, f"/lessons/?challenge={getattr(world, marker).challenge.pk}")
    shows_only_the_public_one(text)  # the filter is ignored: every public lesson, nothing of the hidden one


def test_the_lessons_library_for_the_public_challenge(anon, world):
    text = text_of(anon, f"/lessons/?challenge={world.Harbour.challenge.pk}")
    assert f"Lessons learned: {PUBLIC} tide gauge challenge" in text and f"{PUBLIC} lesson: sensors" in text


@pytest.mark.parametrize("marker", HIDDEN)
def test_a_hidden_sponsor_space_lists_nothing_hidden(anon, world, marker):
    """The sponsor's space is public (the body is), but not its restricted or unpublished challenge."""
    space = getattr(world, marker).challenge.get_parent()
    response = anon.get(space.url)
    assert response.status_code in (200, 302)  # the password-restricted space asks for the password
    assert f"{marker} tide gauge" not in response_text(response)


@pytest.mark.parametrize("marker", HIDDEN)
@pytest.mark.parametrize("suffix", ["", "calendar/", "questions/"])
def test_hidden_challenge_pages_are_not_served_to_the_public(anon, world, marker, suffix):
    challenge = getattr(world, marker).challenge
    url = f"/challenges/{challenge.sponsor.slug}/{challenge.slug}/{suffix}"
    response = anon.get(url)
    assert response.status_code in (302, 401, 404) or "password" in response_text(response).lower()
    assert f"{marker} tide gauge" not in response_text(response)


def test_alert_emails_announce_only_the_public_challenge(world, db, django_capture_on_commit_callbacks):
    subscription = challenge_services.alert_subscribe(email="reader@example.com", sectors=[], keywords="tide")
    challenge_services.alert_confirm(token=challenge_services.alert_token(subscription, "confirm"))
    AlertSubscription.objects.filter(pk=subscription.pk).update(created_at=timezone.now() - timedelta(days=400))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert challenge_services.alerts_send_pending() == 1
    (email,) = [e for e in mail.outbox if e.to == ["reader@example.com"]]
    shows_only_the_public_one(f"{email.subject}\n{email.body}")


# --- Search -------------------------------------------------------------------------------------------------------
SEARCHES = {
    "search": "/search/?q=tide+gauge",
    "search for a company": "/search/?q=robotics",
    "search misspelling a hidden marker (did you mean)": "/search/?q=lighthous+tide",
    "search with a facet": "/search/?q=tide&type=challenge",
    "autocomplete": "/search/autocomplete/?q=tide",
}


@pytest.mark.parametrize("name", SEARCHES)
def test_search_and_autocomplete(anon, world, name):
    shows_only_the_public_one(text_of(anon, SEARCHES[name]))


def test_the_index_holds_nothing_hidden(world, db):
    documents = SearchDocument.objects.all()
    text = " ".join(f"{d.title} {d.summary} {d.body} {d.keywords} {json.dumps(d.data)}" for d in documents)
    shows_only_the_public_one(text)


def test_restricting_a_page_takes_it_out_of_the_index_on_commit(world, db, django_capture_on_commit_callbacks):
    """No publish happens when a restriction is added, so the restriction itself must reindex (and lifting it)."""
    harbour = world.Harbour.challenge
    indexed = SearchDocument.objects.filter(kind="challenge", object_id=harbour.pk)
    assert indexed.exists()
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=harbour.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
    assert not indexed.exists()
    assert not SearchDocument.objects.filter(kind="company", title__startswith=PUBLIC).exists()
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert indexed.exists()


def test_more_like_this_and_recommendations(world, db, client):
    challenges, solutions, _ = similar_to_challenge(world.Harbour.challenge)
    similar = " ".join(f"{hit.title} {json.dumps(hit.data)}" for hit in [*challenges, *solutions])
    assert not [m for m in HIDDEN if m.lower() in similar.lower()]
    assert f"{PUBLIC} Robotics Ltd" not in similar  # its own solution is left out; nothing else is public
    curious = OrganisationFactory(name="Curious Ltd", description="We read tide gauges with radar sensors.")
    client.force_login(make_applicant(curious))
    shows_only_the_public_one(text_of(client, "/search/recommended/"))


# --- API, open data and OCDS ----------------------------------------------------------------------------------------
API_LISTS = {
    "challenges": lambda w: "/api/v1/challenges/",
    "challenges by round and sector": lambda w: f"/api/v1/challenges/?round={w.round.pk}&sector=marine",
    "questions": lambda w: "/api/v1/questions/",
    "questions by round": lambda w: f"/api/v1/questions/?round={w.round.pk}",
    "companies": lambda w: "/api/v1/companies/",
    "solutions": lambda w: "/api/v1/solutions/",
    "contracts": lambda w: "/api/v1/contracts/",
    "contracts by round": lambda w: f"/api/v1/contracts/?round={w.round.pk}",
    "OCDS releases": lambda w: "/api/v1/ocds/releases.json",
    "OCDS records": lambda w: "/api/v1/ocds/records.json",
}


@pytest.mark.parametrize("name", API_LISTS)
def test_api_lists(anon, world, name):
    shows_only_the_public_one(text_of(anon, API_LISTS[name](world)))


def test_api_rounds_count_only_the_public_challenge(anon, world):
    (row,) = [r for r in json.loads(text_of(anon, "/api/v1/rounds/"))["results"] if r["slug"] == world.round.slug]
    assert row["challenge_count"] == 1


def _details(family):
    contracts = [f"/api/v1/contracts/{c.pk}/" for c in getattr(family, "contracts", [])]
    questions = [f"/api/v1/questions/{family.question.pk}/"] if hasattr(family, "question") else []
    solutions = [f"/api/v1/solutions/{family.engagement.pk}/"] if hasattr(family, "engagement") else []
    companies = [f"/api/v1/companies/{family.company.slug}/"] if hasattr(family, "company") else []
    pages = [f"/solutions/{family.engagement.pk}/"] if hasattr(family, "engagement") else []
    profiles = [f"/solutions/companies/{family.company.slug}/"] if hasattr(family, "company") else []
    return [f"/api/v1/challenges/{family.challenge.pk}/", *questions, *solutions, *companies, *contracts, *pages,
            *profiles]  # fmt: skip


def test_api_details_of_the_public_challenge(anon, world):
    urls = _details(world.Harbour)
    assert len(urls) >= 9  # challenge, question, solution, company, contracts (2 stages, follow-on), pages
    for url in urls:
        assert PUBLIC in text_of(anon, url), url


@pytest.mark.parametrize("marker", HIDDEN)
def test_api_details_of_hidden_challenges_are_not_found(anon, world, marker):
    for url in _details(getattr(world, marker)):
        assert marker not in text_of(anon, url, status=404), url


@pytest.mark.parametrize("dataset", [d.slug for d in DATASETS])
def test_every_open_data_csv(anon, world, dataset):
    rows = list(csv.DictReader(io.StringIO(text_of(anon, f"/open-data/{dataset}.csv"))))
    text = json.dumps(rows)
    assert not [m for m in HIDDEN if m.lower() in text.lower()]
    if dataset == "rounds":
        (row,) = [r for r in rows if r["name"] == world.round.name]
        assert row["challenge_count"] == "1"
    elif dataset == "impact-by-round":
        (row,) = rows
        assert int(row["jobs_created"]) == JOBS[PUBLIC] and int(row["challenges"]) == 1
    else:
        assert PUBLIC in text


def test_the_open_data_page(anon, world):
    text = text_of(anon, "/open-data/")
    assert not [m for m in HIDDEN if m.lower() in text.lower()]


def test_the_ocds_export_command(world, db, tmp_path):
    for extra in ([], ["--records"]):
        out = tmp_path / "ocds.json"
        call_command("export_ocds", "-o", str(out), *extra, stdout=io.StringIO())
        shows_only_the_public_one(out.read_text())
        ocids = json.dumps(json.loads(out.read_text()))
        for marker in HIDDEN:
            # The ocid and release ids are "ocds-civtech-<challenge pk>[-...]"; an organisation's party id
            # ("civtech-org-<pk>") may share the number, so match the ocid prefix, not the bare number.
            pk = getattr(world, marker).challenge.pk
            assert f'ocds-civtech-{pk}"' not in ocids and f"ocds-civtech-{pk}-" not in ocids


# --- Impact figures -----------------------------------------------------------------------------------------------
def test_public_impact_figures_count_only_the_public_challenge(world, db):
    everything = headline(public=True)
    assert everything["challenges"] == 1 and everything["jobs_created"] == JOBS[PUBLIC]
    assert everything == headline(Filters(sponsor=world.Harbour.body.pk), public=True)
    for marker in (*RESTRICTED, UNPUBLISHED):
        sponsor = Filters(sponsor=getattr(world, marker).body.pk)
        recorded = headline(sponsor, public=False)
        # Staff see every figure of the hidden challenge, so a public figure that counted it would not be zero.
        assert all(recorded[f.key] for f in FIGURES if f.key != "challenges"), (marker, recorded)
        assert not any(headline(sponsor, public=True).values()), marker
    for dimension in ("round", "sponsor", "region", "year"):
        rows = breakdown(dimension, public=True)
        assert sum(row["jobs_created"] for row in rows) == JOBS[PUBLIC], dimension
    assert [row["label"] for row in breakdown("sponsor", public=True)] == [f"{PUBLIC} Board"]


IMPACT = {
    "impact page": "/impact/",
    "impact page by sponsor": "/impact/?by=sponsor",
    "impact page by region": "/impact/?by=region",
    "API impact by sponsor": "/api/v1/impact/?by=sponsor",
}


@pytest.mark.parametrize("name", IMPACT)
def test_impact_pages(anon, world, name):
    text = text_of(anon, IMPACT[name])
    shows_only_the_public_one(text)  # sponsors named in the breakdown and the filter: only the public one's
    if name.startswith("API"):
        assert json.loads(text)["figures"]["jobs_created"] == JOBS[PUBLIC]


@pytest.mark.parametrize("marker", (*RESTRICTED, UNPUBLISHED))
def test_impact_filtered_by_a_hidden_sponsor_is_zero(anon, world, marker):
    figures = json.loads(text_of(anon, f"/api/v1/impact/?sponsor={getattr(world, marker).body.pk}"))["figures"]
    assert not any(Decimal(str(value)) for value in figures.values()), figures


# --- Beyond the public: the apply page keeps the page's own restriction ---------------------------------------------
@pytest.mark.parametrize(
    ("marker", "status"),
    [(PUBLIC, 200), ("Lighthouse", 200), ("Beaconry", 404), (UNPUBLISHED, 404), (DRAFT, 404)],
)
def test_the_apply_page_shows_a_challenge_only_to_who_may_see_its_page(world, db, client, marker, status):
    """A signed-in applicant passes a login restriction (as on the page itself), not a password they never gave."""
    client.force_login(make_applicant())
    response = client.get(f"/applications/start/{getattr(world, marker).challenge.pk}/")
    assert response.status_code == status
    assert (f"{marker} tide gauge" in response_text(response)) is (status == 200)


def test_a_restriction_bumps_the_public_page_cache(world, db, django_capture_on_commit_callbacks):
    from civtech.cache import current_version

    before = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=world.Harbour.challenge, restriction_type=PageViewRestriction.LOGIN)
    assert current_version() != before
