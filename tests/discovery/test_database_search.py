"""The database path (SQLite FTS5 here; PostgreSQL when DATABASE_URL points at one): indexing, facets,
permissions, did-you-mean and autocomplete on small hand-made data."""

import pytest
from django.utils import timezone

from discovery import services
from discovery.models import SearchDocument, SearchTerm
from discovery.query import Query
from organisations.models import OrganisationKind
from tests.factories import OrganisationFactory, PublicBodyFactory, make_challenge, make_round, make_sector

from .conftest import make_solution, rebuild

pytestmark = pytest.mark.django_db


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


@pytest.fixture
def health():
    return make_sector("Health and social care")


def test_published_challenge_is_found_with_highlighted_snippet(health):
    make_challenge(
        title="Reduce missed hospital appointments", sectors=[health], summary="Patients miss <b>clinics</b>."
    )
    rebuild()
    results = services.search(Query(text="clinics"))
    assert titles(results) == ["Reduce missed hospital appointments"]
    assert results.backend == "database" and results.notice == ""
    # Document text is escaped; only our own highlight markup is HTML.
    snippet = results.hits[0].snippet
    assert "<mark>clinics</mark>" in snippet
    assert "<b>" not in snippet  # SQLite shows it escaped; PostgreSQL's ts_headline drops tags


def test_drafts_unpublished_and_private_pages_never_appear():
    make_challenge(title="Secret draft about drones", live=False)
    gone = make_challenge(title="Unpublished drones page")
    gone.unpublish()
    private = make_challenge(title="Private drones page")
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    make_challenge(title="Public drones page")
    rebuild()
    assert titles(services.search(Query(text="drones"))) == ["Public drones page"]
    assert not SearchTerm.objects.filter(term="secret").exists()  # not even in "did you mean"


def test_company_private_data_never_indexed():
    company = OrganisationFactory(
        name="Tidy Robots Ltd", description="We build robots.", address="1 Hidden Street", employees=7, turnover=987654
    )
    make_solution(applicant=_member_of(company))
    rebuild()
    document = SearchDocument.objects.get(kind="company", object_id=company.pk)
    everything = " ".join([document.title, document.summary, document.body, document.keywords, str(document.data)])
    assert "Hidden Street" not in everything and "987654" not in everything and "7 " not in document.keywords
    assert services.search(Query(text="Hidden Street")).total == 0
    assert services.search(Query(text="987654")).total == 0


def _member_of(company):
    from tests.factories import make_applicant

    return make_applicant(organisation=company)


def test_solution_lists_only_verified_reuse_by_public_bodies_and_no_values():
    council = PublicBodyFactory(name="Fife Council")
    other = PublicBodyFactory(name="Angus Council")
    challenge = make_challenge(title="Count birds on cliffs", round=make_round(opened_days_ago=120))
    engagement = make_solution(challenge=challenge, reuse_by=council)
    from ledger.services import contract_record_follow_on
    from tests.factories import staff_user

    contract_record_follow_on(
        challenge=challenge,
        supplier=engagement.application.organisation,
        kind="reuse",
        buyer=other,
        title="Unverified",
        value=1,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
        awarded_on=timezone.localdate(),
        evidence="Rumour.",
        by=staff_user(),
    )
    rebuild()
    hit = services.search(Query(text="birds", filters={"type": ("solution",)})).hits[0]
    assert hit.data["used_by"] == ["Fife Council"]
    assert "123456" not in str(hit.data)


def test_facets_count_and_filter(health):
    transport = make_sector("Transport")
    nhs = PublicBodyFactory(name="NHS Test Board")
    make_challenge(title="Data for clinics", sectors=[health], sponsor=nhs)
    make_challenge(title="Data for buses", sectors=[transport])
    make_challenge(title="Data for trains", sectors=[transport], round=make_round(opened_days_ago=-30))
    rebuild()
    results = services.search(Query(text="data"))
    sectors = {f.label: f.count for f in results.facets["sector"]}
    assert sectors == {"Health and social care": 1, "Transport": 2}
    status = {f.value: f.count for f in results.facets["status"]}
    assert status["open"] == 2 and status["upcoming"] == 1
    filtered = services.search(Query(text="data", filters={"sector": (str(transport.pk),), "status": ("open",)}))
    assert titles(filtered) == ["Data for buses"]
    # Within a facet, the other values still count (so people can widen their choice).
    assert {f.label: f.count for f in filtered.facets["sector"]} == {"Health and social care": 1, "Transport": 1}
    assert [f.label for f in filtered.facets["sponsor"]] != []
    funding = {f.value for f in results.facets["funding"]}
    assert funding == {"350k-500k"}  # the round default accelerator maximum, £350,000


def test_synonym_finds_other_words():
    make_challenge(title="Support for health boards", summary="Help health boards plan.")
    make_challenge(title="Fix potholes faster", summary="Every local authority has potholes.")
    rebuild()
    assert titles(services.search(Query(text="NHS"))) == ["Support for health boards"]
    assert titles(services.search(Query(text="council"))) == ["Fix potholes faster"]


def test_misspelling_is_corrected_and_suggested():
    make_challenge(title="Monitor historic stonework", summary="Decay in stonework walls.")
    rebuild()
    results = services.search(Query(text="stonwork"))
    assert results.suggestion == "stonework"
    assert results.corrected_from == "stonwork"
    assert titles(results) == ["Monitor historic stonework"]


def test_any_words_when_nothing_has_them_all():
    make_challenge(title="Monitor historic stonework")
    rebuild()
    results = services.search(Query(text="stonework spaceships"))
    assert results.any_words and titles(results) == ["Monitor historic stonework"]


def test_autocomplete_completes_the_last_word():
    make_challenge(title="Monitor historic stonework")
    make_challenge(title="Predict bus demand")
    rebuild()
    assert services.autocomplete("histo") == ["Monitor historic stonework"]
    assert services.autocomplete("x") == []


def test_publish_and_unpublish_update_the_index_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_challenge(title="Seaweed farming at scale")
    assert titles(services.search(Query(text="seaweed"))) == ["Seaweed farming at scale"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert services.search(Query(text="seaweed")).total == 0
    assert not SearchDocument.objects.filter(object_id=page.pk, kind="challenge").exists()


def test_nothing_is_indexed_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_challenge(title="Kelp monitoring")
    assert callbacks  # enqueued for after the commit …
    assert services.search(Query(text="kelp")).total == 0  # … and nothing written in the transaction


def test_company_change_reindexes_its_profile(django_capture_on_commit_callbacks):
    company = OrganisationFactory(name="Quiet Ltd", description="Boats.")
    make_solution(applicant=_member_of(company))
    rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        company.description = "Autonomous lighthouses."
        company.save()
    assert "Quiet Ltd" in titles(services.search(Query(text="lighthouses", filters={"type": ("company",)})))


def test_rebuild_replaces_everything_and_counts_vocabulary():
    page = make_challenge(title="Wave energy buoys")
    rebuild()
    SearchDocument.objects.filter(object_id=page.pk).update(title="stale")
    rebuild()
    assert SearchDocument.objects.get(kind="challenge", object_id=page.pk).title == "Wave energy buoys"
    assert SearchTerm.objects.get(term="buoys").documents == 1


def test_public_bodies_and_individuals_are_not_company_profiles():
    individual = OrganisationFactory(kind=OrganisationKind.INDIVIDUAL, name="Jane Smith")
    make_solution(applicant=_member_of(individual))
    rebuild()
    assert not SearchDocument.objects.filter(kind="company").exists()
