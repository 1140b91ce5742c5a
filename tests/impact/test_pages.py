"""The company's return pages and the sponsor's benefit pages: what each person reaches (by URL too), forms
that keep what was typed, and lists that cost the same number of queries however long they are."""

from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impact.models import Benefit, ImpactReturn
from impact.services.benefits import benefit_record
from impact.services.returns import return_submit, return_verify
from organisations.services import membership_add
from tests.factories import GOOD_FIGURES, GOOD_RETURN, make_engagement, make_impact_return

from .conftest import PDF_BYTES
from .test_benefits import SAVING, SAVING_TYPED_IN

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


def _benefit(cast, **extra):
    upload = SimpleUploadedFile("ledger.pdf", PDF_BYTES, content_type="application/pdf")
    return benefit_record(challenge=cast.challenge, by=cast.sponsor, evidence_file=upload, **{**SAVING, **extra})


# --- Returns -------------------------------------------------------------------------------------------
def test_a_company_lists_only_its_own_returns(client, cast):
    client.force_login(cast.team)
    page = text(client.get(reverse("impact:returns")))
    assert reverse("impact:return", args=[cast.impact_return.pk]) in page
    assert reverse("impact:return", args=[cast.other_return.pk]) not in page
    assert "Rural bus demand" in page and "To do" in page


@pytest.mark.parametrize("who", ["other_team", "sponsor", "stranger"])
def test_someone_elses_return_is_refused_by_url(client, cast, who):
    client.force_login(getattr(cast, who))
    for name in ("impact:return", "impact:return_correct"):
        response = client.get(reverse(name, args=[cast.impact_return.pk]))
        assert response.status_code == 403
    response = client.post(reverse("impact:return", args=[cast.impact_return.pk]), GOOD_FIGURES)
    assert response.status_code == 403
    assert ImpactReturn.objects.get(pk=cast.impact_return.pk).submitted_at is None


def test_unknown_returns_are_404_and_signed_out_people_sign_in(client, cast):
    assert client.get(reverse("impact:return", args=[cast.impact_return.pk])).status_code == 302
    client.force_login(cast.team)
    assert client.get(reverse("impact:return", args=[999999])).status_code == 404


def test_a_return_with_a_mistake_keeps_what_was_typed_then_submits(client, cast):
    client.force_login(cast.team)
    url = reverse("impact:return", args=[cast.impact_return.pk])
    response = client.post(url, {**GOOD_FIGURES, "fte": "14", "turnover": "£1,250"})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Full-time equivalent staff cannot be more than your headcount" in page
    assert 'value="£1,250"' in page and 'value="14"' in page
    assert client.post(url, {**GOOD_FIGURES, "turnover": "£1,250"}).url == reverse("impact:returns")
    assert ImpactReturn.objects.get(pk=cast.impact_return.pk).turnover == 1250


def test_staff_read_a_return_but_do_not_get_the_form(client, cast):
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=GOOD_RETURN)
    client.force_login(cast.staff)
    page = text(client.get(reverse("impact:return", args=[cast.impact_return.pk])))
    assert "The figures you gave" in page and "£250,000.00" in page and "<form" not in page.split("<main")[1]


def test_a_verified_return_is_corrected_on_its_own_page(client, cast):
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=GOOD_RETURN)
    return_verify(impact_return=cast.impact_return, by=cast.staff)
    client.force_login(cast.team)
    page = text(client.get(reverse("impact:return", args=[cast.impact_return.pk])))
    assert "Correct these figures" in page
    url = reverse("impact:return_correct", args=[cast.impact_return.pk])
    missing = text(client.post(url, {**GOOD_FIGURES, "headcount": "13"}))
    assert "Explain why these figures are changing" in missing and 'value="13"' in missing
    done = client.post(url, {**GOOD_FIGURES, "headcount": "13", "reason": "Miscounted"})
    assert done.status_code == 302
    r = ImpactReturn.objects.get(pk=cast.impact_return.pk)
    assert r.headcount == 13 and r.verified_at is None and r.corrections.count() == 1
    assert "Miscounted" in text(client.get(reverse("impact:return", args=[r.pk])))


def test_the_returns_list_costs_the_same_however_many_returns(client, cast):
    client.force_login(cast.team)
    url = reverse("impact:returns")
    client.get(url)  # warm caches (site, settings)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(3):
        engagement = make_engagement()
        engagement.impact_returns.all().delete()  # its scheduled baseline: this test makes its own return
        membership_add(organisation=engagement.application.organisation, user=cast.team, role="member", by=None)
        make_impact_return(engagement=engagement)
    # New public content supersedes the page's shared parts (site, footer): they are made again once, then kept.
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(url))
    assert page.count('href="/returns/') == 4
    assert len(many) == len(one)


# --- Benefits ------------------------------------------------------------------------------------------
def test_a_sponsor_sees_only_its_own_bodys_benefits(client, cast):
    mine = _benefit(cast)
    theirs = benefit_record(challenge=cast.other_challenge, by=cast.other_sponsor, **{**SAVING, "title": "Theirs"})
    client.force_login(cast.sponsor)
    page = text(client.get(reverse("impact:benefits")))
    assert mine.title in page and "Theirs" not in page
    assert client.get(reverse("impact:benefit", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("impact:benefit", args=[999999])).status_code == 404


@pytest.mark.parametrize("who", ["other_sponsor", "team", "stranger"])
def test_evidence_is_downloaded_only_by_the_sponsor_and_staff(client, cast, who):
    benefit = _benefit(cast)
    url = reverse("impact:benefit_evidence", args=[benefit.pk])
    client.force_login(getattr(cast, who))
    assert client.get(url).status_code == 403
    assert client.post(reverse("impact:benefit", args=[benefit.pk]), SAVING_TYPED_IN).status_code == 403
    for allowed in (cast.sponsor, cast.staff):
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
        assert 'filename="ledger.pdf"' in response["Content-Disposition"]


def test_no_evidence_file_is_a_404(client, cast):
    benefit = benefit_record(challenge=cast.challenge, by=cast.sponsor, **SAVING)
    client.force_login(cast.sponsor)
    assert client.get(reverse("impact:benefit_evidence", args=[benefit.pk])).status_code == 404


def test_recording_a_benefit_keeps_what_was_typed_on_error(client, cast):
    client.force_login(cast.sponsor)
    url = reverse("impact:benefit_new")
    response = client.post(
        url, {**SAVING_TYPED_IN, "challenge": cast.challenge.pk, "years": "", "title": "Fewer agency"}
    )
    page = text(response)
    assert "Enter how many years the saving recurs, from 1 to 30" in page and 'value="Fewer agency"' in page
    response = client.post(url, {**SAVING_TYPED_IN, "challenge": cast.challenge.pk})
    assert response.url == reverse("impact:benefits")
    assert Benefit.objects.get().sponsor == cast.body


def test_a_sponsor_cannot_record_against_another_bodys_challenge(client, cast):
    client.force_login(cast.sponsor)
    response = client.post(reverse("impact:benefit_new"), {**SAVING_TYPED_IN, "challenge": cast.other_challenge.pk})
    assert response.status_code == 200 and not Benefit.objects.exists()
    assert "Select a valid choice" in text(response) or "Select the challenge" in text(response)


def test_companies_cannot_record_benefits(client, cast):
    client.force_login(cast.team)
    assert client.get(reverse("impact:benefit_new")).status_code == 403


def test_editing_a_verified_benefit_on_its_page_sends_it_back(client, cast):
    from impact.services.benefits import benefit_verify

    benefit = benefit_verify(benefit=_benefit(cast), by=cast.staff, note="ok")
    client.force_login(cast.sponsor)
    url = reverse("impact:benefit", args=[benefit.pk])
    assert "the CivTech team will verify it again" in text(client.get(url))
    assert client.post(url, {**SAVING_TYPED_IN, "amount": "99"}).status_code == 302
    benefit.refresh_from_db()
    assert benefit.status == Benefit.Status.SUBMITTED and benefit.amount == 99
    assert benefit.evidence_name == "ledger.pdf"  # no new file: the old one stays


def test_the_benefits_list_costs_the_same_however_many_benefits(client, cast):
    client.force_login(cast.sponsor)
    url = reverse("impact:benefits")
    _benefit(cast)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        _benefit(cast, title=f"Benefit {n}")
    client.get(url)  # a verified benefit is public content: the page's shared parts (the footer) are made again once
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_the_dashboard_links_each_role_to_its_pages(client, cast):
    client.force_login(cast.team)
    page = text(client.get(reverse("accounts:dashboard")))
    assert reverse("impact:returns") in page and reverse("impact:benefits") not in page
    client.force_login(cast.sponsor)
    page = text(client.get(reverse("accounts:dashboard")))
    assert reverse("impact:benefits") in page and reverse("impact:returns") not in page


def test_the_return_page_shows_what_cannot_be_read_and_what_breaks_a_rule_at_once(client, cast):
    client.force_login(cast.team)
    url = reverse("impact:return", args=[cast.impact_return.pk])
    page = text(client.post(url, {**GOOD_FIGURES, "headcount": "twelve", "fte": "", "turnover": "£1,250"}))
    assert "Enter headcount as a number, like 12" in page  # the form could not read it
    assert "Enter full-time equivalent staff (0 if none)" in page  # the service's rule, on the same page
    assert "cannot be more than your headcount" not in page  # no comparison with a headcount it could not read
    assert 'value="twelve"' in page and 'value="£1,250"' in page
    cast.impact_return.refresh_from_db()
    assert cast.impact_return.submitted_at is None
