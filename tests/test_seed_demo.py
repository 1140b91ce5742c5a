"""seed_demo: the demo data every role signs in to, loaded through the services, and safe to run again.

Seeding takes some 15 seconds, so the tests that read the default demo share one seeding (`demo`, see
tests/conftest.py: seeded_for_module); each still sees the demo exactly as seeded. The scaled demo is in
test_seed_demo_scale.py.
"""

import json
from html import unescape
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import User
from accounts.roles import user_roles
from applications.services.moderation import moderation_board
from challenges.demo import ROUNDS
from challenges.models import ChallengePage, Clarification, Round, Sector, SponsorIndexPage
from challenges.status import Status
from cms.models import NewsPage
from impact.models import ImpactReturn
from organisations.demo import COMPANIES, PUBLIC_BODIES
from organisations.models import Organisation, OrganisationKind
from tests.conftest import seeded_for_module

# One worker seeds for the whole module (see seeded_for_module).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The default demo, seeded once for this module; what seed_demo printed (the sign-ins included)."""
    with seeded_for_module(django_db_blocker) as printed:
        yield printed


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_is_idempotent_and_prints_a_sign_in_per_role(demo):
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first  # running it twice changes nothing

    printed = demo
    assert DEMO_PASSWORD in printed
    for demo_user in DEMO_USERS:
        assert demo_user.email in printed
        assert demo_user.role.label in printed
        user = User.objects.get(email=demo_user.email)
        assert user.check_password(DEMO_PASSWORD)
        assert demo_user.role in user_roles(user)


def test_seed_demo_has_real_scottish_public_bodies_and_companies_of_several_sizes(demo):
    names = set(Organisation.objects.public_bodies().values_list("name", flat=True))
    assert {"Transport Scotland", "Disclosure Scotland", "NHS National Services Scotland"} <= names
    assert len(names) == len(PUBLIC_BODIES)
    suppliers = Organisation.objects.suppliers()
    assert suppliers.count() == len(COMPANIES)
    assert {o.is_sme for o in suppliers} == {True, False}
    assert suppliers.filter(kind=OrganisationKind.INDIVIDUAL).exists()


def test_seed_demo_publishes_the_pages_the_footer_links_to(client, demo):
    home = client.get("/").content.decode()
    assert "How CivTech works" in home
    for path, title in [("/about/", "About CivTech"), ("/accessibility/", "Accessibility statement")]:
        assert f'href="{path}"' in home
        assert title in client.get(path).content.decode()


def _words(html: str) -> int:
    return len(strip_tags(html).split())


def test_seed_demo_has_challenges_in_every_status_from_real_sponsors(client, demo):
    now = timezone.now()
    rounds = list(Round.objects.all())
    assert len(rounds) >= 2
    assert any(r.call_opens <= now < r.call_closes for r in rounds)  # one open now
    assert any(r.demo_day < now for r in rounds)  # one completed
    assert Sector.objects.count() == 9

    challenges = list(ChallengePage.objects.live().select_related("round", "sponsor").prefetch_related("sectors"))
    assert len(challenges) >= 12
    assert len({c.sponsor_id for c in challenges}) >= 6
    assert {c.status for c in challenges} == set(Status)
    for challenge in challenges:
        assert challenge.sponsor.kind == OrganisationKind.PUBLIC_BODY
        assert challenge.get_parent().specific.organisation_id == challenge.sponsor_id
        assert 0 < len(challenge.summary) <= 300
        assert challenge.problem_statement.raw_data
        assert challenge.sectors.exists()
        assert challenge.contact_email.split("@")[1].startswith("example.")
        words = sum(
            _words(str(block.value)) for block in challenge.problem_statement if block.block_type == "paragraph"
        )
        words += _words(challenge.users) + _words(challenge.success) + _words(challenge.sponsor_provides)
        assert 200 <= words <= 400, (challenge.title, words)
        challenge.full_clean()  # the demo data would pass the editor's own validation

    response = client.get("/challenges/")
    assert response.status_code == 200
    listing = response.content.decode()
    open_challenge = next(c for c in challenges if c.status == Status.OPEN)
    assert open_challenge.title in listing
    assert client.get(open_challenge.url).status_code == 200
    assert client.get(f"/challenges/rounds/{open_challenge.round.slug}/").status_code == 200


def test_the_open_round_closes_at_noon_uk_time(demo):
    round_ = Round.objects.get(slug="civtech-11")
    closes = timezone.localtime(round_.call_closes)
    assert (closes.hour, closes.minute) == (12, 0)
    assert round_.questions_close < round_.call_closes
    assert 17 <= (timezone.localdate(round_.call_closes) - timezone.localdate()).days <= 19  # a weekday near 18
    assert all(timezone.localtime(getattr(round_, name)).weekday() < 5 for name in Round.SEQUENCE)
    sprint = Round.objects.get(slug="civtech-sprint-net-zero")
    assert (sprint.exploration_end - sprint.exploration_start).days == 14


def test_every_public_body_can_write_challenges_in_its_own_space(demo):
    assert SponsorIndexPage.objects.count() == len(PUBLIC_BODIES)
    sponsor = User.objects.get(email="sponsor@transport.example")
    assert sponsor.has_perm("wagtailadmin.access_admin")
    own = SponsorIndexPage.objects.get(organisation__slug="transport-scotland")
    other = SponsorIndexPage.objects.get(organisation__slug="disclosure-scotland")
    assert own.permissions_for_user(sponsor).can_add_subpage()
    assert not other.permissions_for_user(sponsor).can_add_subpage()
    challenge = ChallengePage.objects.child_of(own).first()
    assert challenge.permissions_for_user(sponsor).can_edit()
    assert not challenge.permissions_for_user(sponsor).can_publish()  # publishing goes through the workflow


def test_seed_demo_has_applications_in_each_state_through_the_services(demo):
    from applications.models import Application, ApplicationVersion
    from notifications.models import OutboundEmail

    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)  # every status, draft to selected
    drafts = Application.objects.filter(status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
    assert all(a.challenge.is_open for a in drafts.select_related("challenge__round"))
    assert not Application.objects.filter(organisation__kind=OrganisationKind.PUBLIC_BODY).exists()
    sent = Application.objects.exclude(status=Application.Status.DRAFT)
    assert not sent.filter(reference=None).exists()  # submitted through application_submit
    assert ApplicationVersion.objects.count() == sent.count()
    assert OutboundEmail.objects.filter(subject__contains=sent.first().reference).exists()
    applicant = User.objects.get(email="applicant@thistle.example")
    own = Application.objects.filter(organisation__memberships__user=applicant)
    assert own.filter(status=Application.Status.DRAFT).exists()
    assert own.filter(status=Application.Status.SUBMITTED).exists()


def test_seed_demo_evaluates_closed_challenges_through_the_services(demo):
    from applications.models import Application, Assignment, Decision, Moderation, Score

    closed = Application.objects.exclude(status__in=["draft", "withdrawn"]).filter(
        challenge__round__call_closes__lte=timezone.now()
    )
    assert closed.exists()
    # submitted before the real deadline, as the services require
    assert not closed.filter(submitted_at__gte=F("challenge__round__call_closes")).exists()
    decided = closed.exclude(status="submitted")
    assert not decided.filter(decisions=None).exists()
    unsuccessful = Decision.objects.filter(outcome="unsuccessful")
    assert unsuccessful.exists() and not unsuccessful.filter(feedback="").exists()
    assert Moderation.objects.filter(stage="interview").exists() and Score.objects.exists()
    # every selected team was interviewed and scored at interview
    for application in Application.objects.filter(status="selected"):
        assert application.assignments.filter(stage="interview", submitted_at__isnull=False).exists()
    # the demo assessor has work waiting in their queue
    assert Assignment.objects.filter(assessor__email="assessor@civtech.example", has_conflict=None).exists()


# --- Demo Day and impact (moved here from tests/cms and tests/impact to share the one seeding) ------------------
def test_the_demo_has_a_demo_day_for_every_round_with_accelerator_teams(client, demo):
    from cms.models import DemoDayPage, DemoDayRegistration
    from notifications.models import OutboundEmail
    from sprints.models import Engagement, Lesson

    rounds = set(
        Engagement.objects.filter(stage=Engagement.Stage.ACCELERATOR).values_list(
            "application__challenge__round", flat=True
        )
    )
    pages = DemoDayPage.objects.live()
    assert rounds and set(pages.values_list("round", flat=True)) == rounds
    # Seeding again adds no page, registration or email: test_seed_demo_is_idempotent... counts every model.
    assert DemoDayRegistration.objects.exists() and OutboundEmail.objects.exists()
    for page in pages:
        html = unescape(client.get(page.url).content.decode())
        assert page.title in html and "The demos" in html
    assert Lesson.objects.filter(status=Lesson.Status.PUBLISHED).exists()


def test_the_demo_has_every_impact_case_and_is_idempotent(demo):
    """The demo returns and benefits: every case the pages and reports need, and the same data on a second run."""
    from impact.demo import seed_returns_and_benefits
    from impact.models import Benefit, ImpactReturn, ImpactReturnCorrection
    from impact.selectors import late_returns, stale_returns

    lines = []
    seed_returns_and_benefits(log=lines.append)
    counts = (ImpactReturn.objects.count(), Benefit.objects.count(), ImpactReturnCorrection.objects.count())
    submitted = ImpactReturn.objects.filter(submitted_at__isnull=False)
    assert submitted.filter(verified_at__isnull=False).exists() and submitted.filter(verified_at__isnull=True)
    assert ImpactReturn.objects.filter(kind="periodic", submitted_at__isnull=False).exists()
    assert late_returns().exists() or stale_returns().exists()
    assert counts[2] == 1
    assert {b.kind for b in Benefit.objects.all()} == set(Benefit.Kind.values)
    assert {b.status for b in Benefit.objects.all()} == {Benefit.Status.VERIFIED, Benefit.Status.SUBMITTED}
    seed_returns_and_benefits(log=lines.append)
    assert (ImpactReturn.objects.count(), Benefit.objects.count(), ImpactReturnCorrection.objects.count()) == counts
    assert lines[1].startswith("impact: 0 returns submitted") and "0 benefits" in lines[1]


OUTLIER_SHARE_AT_MOST = 0.25  # "a few outliers, not most": moderation should be about the exceptions


def test_the_demo_looks_like_a_real_programme(demo, client):
    """The demo tells the truth about how the programme works (issue #18): assessors mostly agree and only a few
    scores are flagged as outliers, most clarification questions have published answers (a couple still wait), the
    demo applicant has an impact return to do, and there is news to read."""

    # Scores: a realistic spread, and only a few outliers.
    rows = [
        row
        for challenge in ChallengePage.objects.select_related("round")
        for stage in ("application", "interview")
        for row in moderation_board(challenge, stage)[1]
        if row.results
    ]
    flagged = [row for row in rows if row.has_outlier]
    assert len(rows) >= 40
    assert 0 < len(flagged) <= OUTLIER_SHARE_AT_MOST * len(rows), f"{len(flagged)} of {len(rows)} flagged"
    means = sorted(row.mean for row in rows)
    assert len(set(means)) >= 10, means
    assert means[-1] - means[0] >= 30, (means[0], means[-1])

    # Questions: most answered and published, a couple waiting for the sponsor.
    published = Clarification.objects.filter(status=Clarification.Status.PUBLISHED)
    waiting = Clarification.objects.filter(status=Clarification.Status.AWAITING)
    assert 2 <= waiting.count() < published.count()
    assert not published.filter(answer="").exists()
    assert not published.filter(answered_at__lt=F("asked_at")).exists()
    answered = published.select_related("challenge").first()
    page = client.get(answered.challenge.url).content.decode()
    assert answered.answer[:60] in page

    # The demo applicant has a return to do: its period has ended and it is not submitted yet.
    applicant = User.objects.get(email="applicant@thistle.example")
    today = timezone.localdate()
    due = ImpactReturn.objects.filter(
        organisation__memberships__user=applicant, period_end__lt=today, submitted_at__isnull=True
    )
    assert due.exists()
    client.force_login(applicant)
    returns_page = client.get("/returns/").content.decode()
    assert "To do" in returns_page or "Overdue" in returns_page
    client.logout()

    # News: stories on two pages, each naming only teams that really took part.
    assert NewsPage.objects.live().count() > 10
    listing = client.get("/news/").content.decode()
    assert 'class="ds_pagination"' in listing
    story = NewsPage.objects.get(slug="finding-climate-grants-case-study")
    teams = {o.name for o in story.related_organisations.all()}
    assert teams and all(name in story.summary + str(story.body.raw_data) for name in teams)


# --- The ledger's migrations (issue #19): no row, link or figure lost ---------------------------------------------
def _money_snapshot() -> dict:
    """Every ledger row, every link between the stage work and the ledger, the impact report's figures, the
    contracts' history and staff's permissions on them: what the move of the ledger must keep."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    from impact.reporting import DIMENSIONS, breakdown, headline
    from ledger.models import Contract, Payment, Variation
    from sprints.models import Engagement, Milestone

    ContentType.objects.clear_cache()

    def rows(model) -> list[tuple]:
        return sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))

    return {
        "contracts": rows(Contract),
        "variations": rows(Variation),
        "payments": rows(Payment),
        "engagement_contracts": sorted(Engagement.objects.exclude(contract=None).values_list("pk", "contract_id")),
        "milestone_payments": sorted(Milestone.objects.exclude(payment=None).values_list("pk", "payment_id")),
        "public": headline(public=True),
        "staff": headline(public=False),
        **{f"by {d}": breakdown(d, public=False) for d in DIMENSIONS},
        "history": sorted(
            ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contract)).values_list(
                "pk", "object_id", "action"
            )
        ),
        "staff_permissions": sorted(
            Group.objects.get(name="Programme staff")
            .permissions.filter(content_type__app_label="ledger")
            .values_list("codename", flat=True)
        ),
    }


def test_the_ledger_migrations_keep_every_row_link_and_figure_both_ways(demo):
    """Migrating back to before the ledger app (contracts, variations and payments in impact, pointing up at the
    engagement and milestone) and forward again leaves the demo's money exactly as it was: every row, every
    engagement's contract and milestone's tranche, every figure of the impact report, the history and permissions."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot alter tables inside a test's transaction; CI runs this on PostgreSQL")
    before = _money_snapshot()
    assert before["engagement_contracts"] and before["milestone_payments"]
    assert before["history"] and before["staff_permissions"] == ["view_contract", "view_payment", "view_variation"]
    with connection.cursor() as cursor:
        # Each migration runs in a savepoint of the test's transaction: check foreign keys as rows change, or
        # PostgreSQL refuses to alter a table with checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    MigrationExecutor(connection).migrate([("ledger", None)])
    with connection.cursor() as cursor:  # the old shape, read as the old code would
        cursor.execute("SELECT engagement_id, id FROM impact_contract WHERE engagement_id IS NOT NULL")
        assert sorted(cursor.fetchall()) == before["engagement_contracts"]
        cursor.execute("SELECT milestone_id, id FROM impact_payment WHERE milestone_id IS NOT NULL")
        assert sorted(cursor.fetchall()) == before["milestone_payments"]
        cursor.execute("SELECT count(*) FROM impact_contract")
        assert cursor.fetchone()[0] == len(before["contracts"])
        cursor.execute("SELECT count(*) FROM django_content_type WHERE app_label = 'impact' AND model = 'contract'")
        assert cursor.fetchone()[0] == 1

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert _money_snapshot() == before


# The six answers as they were fields of Application, with their labels then (applications 0007).
OLD_SECTIONS = [
    ("idea", "Your idea and how it solves the challenge"),
    ("innovation", "What is innovative about it"),
    ("commercial", "Commercial potential and route to market"),
    ("team", "Your team and its experience"),
    ("commitment", "Commitment to the stage dates"),
    ("equality_sustainability", "Equality, diversity and environmental sustainability"),
]


def _answers_snapshot() -> dict:
    """Every application's working copy and every submitted version's answers as readers are shown them (label and
    text, through the version's own questions), and the submitted version page's text for each."""
    from applications.models import Application, ApplicationVersion

    return {
        "working": {a.pk: dict(a.answers) for a in Application.objects.order_by("pk")},
        "shown": {
            v.pk: [pair for section in v.spec.shown(v.answers) for pair in section["answers"]]
            for v in ApplicationVersion.objects.order_by("pk")
        },
    }


def test_the_form_migrations_keep_every_answer_word_for_word_both_ways(demo):
    """Back to the six answer fields (applications 0007) and forward again to answers keyed by question on the
    default form: every draft's and every submitted version's answers are exactly as they were, each shown under the
    label it was given to."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from applications.models import Application, ApplicationVersion

    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot alter tables inside a test's transaction; CI runs this on PostgreSQL")
    before = _answers_snapshot()
    versions = ApplicationVersion.objects.count()
    assert versions and len(before["working"]) > versions // 2  # drafts and submissions both
    # Every version shows the six sections, each answered, under the labels it was submitted under.
    for shown in before["shown"].values():
        assert [label for label, _ in shown] == [label for _, label in OLD_SECTIONS]
        assert all(text.strip() for _, text in shown)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    MigrationExecutor(connection).migrate([("applications", "0007_assignment_version")])
    columns = ", ".join(key for key, _ in OLD_SECTIONS)
    with connection.cursor() as cursor:  # the old shape, read as the old code would
        cursor.execute(f"SELECT id, {columns} FROM applications_application ORDER BY id")  # noqa: S608
        old = {row[0]: dict(zip([key for key, _ in OLD_SECTIONS], row[1:], strict=True)) for row in cursor.fetchall()}
        cursor.execute("SELECT id, answers FROM applications_applicationversion ORDER BY id")
        # JSON read raw: Django parses it itself, so the cursor gives text.
        old_versions = {
            pk: json.loads(answers) if isinstance(answers, str) else answers for pk, answers in cursor.fetchall()
        }
    assert old == {
        pk: {key: answers.get(key, "") for key, _ in OLD_SECTIONS} for pk, answers in before["working"].items()
    }
    assert {pk: [(label, answers[key]) for key, label in OLD_SECTIONS] for pk, answers in old_versions.items()} == (
        before["shown"]
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    after = _answers_snapshot()
    assert after["shown"] == before["shown"]
    # The working copies come back with all six keys (an unanswered one as ""), each answer word for word.
    for pk, answers in before["working"].items():
        assert after["working"][pk] == {key: answers.get(key, "") for key, _ in OLD_SECTIONS}
    assert {a.form_version.form.is_default for a in Application.objects.select_related("form_version__form")} == {True}


def _pipeline_snapshot(client) -> dict:
    """What readers of the rounds show: every round's fixed fields, the OCDS package, the API's rounds and challenges,
    and the impact report's figures (the readers still read the fixed fields; none may change)."""
    from datetime import UTC, datetime

    from api.ocds.package import release_package
    from challenges.models.stages import LEGACY

    moment = datetime(2026, 12, 8, 12, tzinfo=UTC)
    return {
        "rounds": sorted(Round.objects.values_list("pk", *LEGACY)),
        "ocds": release_package(moment)["releases"],
        "api rounds": client.get("/api/v1/rounds/").json(),
        "api challenges": client.get("/api/v1/challenges/").json(),
        "api contracts": client.get("/api/v1/contracts/").json(),
        "api impact": client.get("/api/v1/impact/").json(),
        "money": _money_snapshot(),
    }


def test_the_pipeline_migrations_give_every_demo_round_its_civtech_pipeline_and_change_no_figure(demo, client):
    """Back to before the stages (challenges 0008) and forward again: every demo round gets the CivTech pipeline of
    its twelve dates, counts and money, and the OCDS package, the API and the impact report are as they were."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from challenges.models import RoundStage
    from challenges.models.stages import civtech_round_stages
    from pipelines.spec import problems

    if connection.vendor != "postgresql":
        pytest.skip("SQLite cannot alter tables inside a test's transaction; CI runs this on PostgreSQL")
    before = _pipeline_snapshot(client)
    assert before["ocds"] and before["api rounds"] and before["money"]["contracts"]
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    MigrationExecutor(connection).migrate([("challenges", "0008_file_questions")])
    with connection.cursor() as cursor:  # the old shape: no stages table
        cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'challenges_roundstage'")
        assert cursor.fetchone()[0] == 0
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    rounds = list(Round.objects.order_by("pk"))
    assert len(rounds) == len(ROUNDS)
    fields = ("kind", "name", "starts", "ends", "questions_close", "teams", "payment", "payment_basis", "method")
    for round_ in rounds:
        stages = list(RoundStage.objects.filter(round=round_).order_by("sort_order"))
        expected = civtech_round_stages(round_)
        assert [[getattr(s, f) for f in fields] for s in stages] == [[getattr(s, f) for f in fields] for s in expected]
        assert problems(stages) == [], round_
    assert _pipeline_snapshot(client) == before
