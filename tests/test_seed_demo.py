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
from challenges.demo import CHALLENGES, ROUNDS
from challenges.models import ChallengePage, Round, Sector, SponsorIndexPage
from challenges.status import Status
from organisations.demo import COMPANIES, PUBLIC_BODIES
from organisations.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seed_demo_is_idempotent_and_prints_a_sign_in_per_role():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = row_counts()
    call_command("seed_demo", stdout=StringIO())
    assert row_counts() == first  # running it twice changes nothing

    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for demo in DEMO_USERS:
        assert demo.email in printed
        assert demo.role.label in printed
        user = User.objects.get(email=demo.email)
        assert user.check_password(DEMO_PASSWORD)
        assert demo.role in user_roles(user)


def test_seed_demo_has_real_scottish_public_bodies_and_companies_of_several_sizes():
    call_command("seed_demo", stdout=StringIO())
    names = set(Organisation.objects.public_bodies().values_list("name", flat=True))
    assert {"Transport Scotland", "Disclosure Scotland", "NHS National Services Scotland"} <= names
    assert len(names) == len(PUBLIC_BODIES)
    suppliers = Organisation.objects.suppliers()
    assert suppliers.count() == len(COMPANIES)
    assert {o.is_sme for o in suppliers} == {True, False}
    assert suppliers.filter(kind=OrganisationKind.INDIVIDUAL).exists()


def test_scale_multiplies_the_volume():
    call_command("seed_demo", "--scale", "3", "--quiet-credentials", stdout=StringIO())
    assert Organisation.objects.suppliers().count() == 3 * len(COMPANIES)
    assert Organisation.objects.public_bodies().count() == len(PUBLIC_BODIES)
    assert ChallengePage.objects.live().count() == 3 * len(CHALLENGES)
    assert ChallengePage.objects.filter(slug="rural-bus-demand-3", title__endswith="(copy 3)").exists()
    assert Round.objects.count() == len(ROUNDS)  # copies share the rounds


def test_seed_demo_prints_progress():
    out = StringIO()
    call_command("seed_demo", "--scale", "2", "--quiet-credentials", stdout=out)
    assert "organisations: 1/2 batches" in out.getvalue()
    assert "organisations: 2/2 batches" in out.getvalue()
    assert "challenges: 1/2 batches" in out.getvalue()
    assert "challenges: 2/2 batches" in out.getvalue()


def test_seed_demo_publishes_the_pages_the_footer_links_to(client):
    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())
    home = client.get("/").content.decode()
    assert "How CivTech works" in home
    for path, title in [("/about/", "About CivTech"), ("/accessibility/", "Accessibility statement")]:
        assert f'href="{path}"' in home
        assert title in client.get(path).content.decode()


def _words(html: str) -> int:
    return len(strip_tags(html).split())


def test_seed_demo_has_challenges_in_every_status_from_real_sponsors(client):
    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())
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


def test_the_open_round_closes_at_noon_uk_time():
    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())
    round_ = Round.objects.get(slug="civtech-11")
    closes = timezone.localtime(round_.call_closes)
    assert (closes.hour, closes.minute) == (12, 0)
    assert round_.questions_close < round_.call_closes
    assert 17 <= (timezone.localdate(round_.call_closes) - timezone.localdate()).days <= 19  # a weekday near 18
    assert all(timezone.localtime(getattr(round_, name)).weekday() < 5 for name in Round.SEQUENCE)
    sprint = Round.objects.get(slug="civtech-sprint-net-zero")
    assert (sprint.exploration_end - sprint.exploration_start).days == 14


def test_every_public_body_can_write_challenges_in_its_own_space():
    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())
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


def test_seed_demo_has_applications_in_each_state_through_the_services():
    from applications.models import Application, ApplicationVersion
    from notifications.models import OutboundEmail

    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())
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


def test_seed_demo_evaluates_closed_challenges_through_the_services():
    from applications.models import Application, Assignment, Decision, Moderation, Score

    call_command("seed_demo", "--quiet-credentials", stdout=StringIO())
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


def test_make_run_prints_the_sign_ins_not_hundreds_of_demo_emails(tmp_path):
    """What `make run` shows: the dev settings' console email backend and eager Celery, on a fresh database."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civtech.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    root = Path(__file__).resolve().parent.parent
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=root, env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr[-2000:]
    printed = result.stdout + result.stderr
    assert "Demo sign-ins" in printed
    assert "Subject:" not in printed  # no demo email printed by the console backend
    assert " succeeded in " not in printed  # nor a log line per eager task
    assert len(printed.splitlines()) < 300
