"""Staff manage contracts in the admin: record a follow-on, verify, vary, plan and record payments."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from ledger.models import Contract, Payment
from organisations.services import membership_add
from tests.conftest import response_text
from tests.factories import UserFactory, make_engagement, staff_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def staff_client(client):
    client.force_login(staff_user())
    return client


@pytest.fixture
def contract():
    """An accelerator contract that started today (its round's dates put the start ahead; payments need it begun)."""
    contract = make_engagement(stage="accelerator").contract
    contract.starts_on = timezone.localdate()
    contract.save(update_fields=["starts_on"])
    return contract


def detail(contract):
    return reverse("contracts_manage:detail", args=[contract.pk])


def test_the_contract_page_and_listing(staff_client, contract):
    html = unescape(staff_client.get(detail(contract)).content.decode())
    assert "£350,000.00" in html and "Accelerator" in html
    listing = staff_client.get(reverse("wagtailsnippets_ledger_contract:list")).content.decode()
    assert detail(contract) in listing  # the title links to the contract's page
    export = response_text(staff_client.get(reverse("wagtailsnippets_ledger_contract:list") + "?export=csv"))
    assert contract.title in export and "350000" in export


def test_planning_a_payment_over_the_value_keeps_what_was_typed(staff_client, contract):
    response = staff_client.post(
        detail(contract),
        {"action": "pay", "pay-description": "Everything and more", "pay-amount": "400000", "pay-due_on": "2027-01-01"},
    )
    html = unescape(response.content.decode())
    assert "more than the contracted £350,000.00" in html and 'value="Everything and more"' in html
    assert not contract.payments.exists()


def test_plan_due_paid_through_the_page(staff_client, contract):
    staff_client.post(detail(contract), {"action": "pay", "pay-description": "M1", "pay-amount": "100000",
                                         "pay-due_on": "2027-01-01"})  # fmt: skip
    payment = contract.payments.get()
    staff_client.post(detail(contract), {"action": "due", "payment": payment.pk})
    response = staff_client.post(detail(contract), {"action": "paid", "paid-payment": payment.pk,
                                                    "paid-paid_on": TODAY.isoformat()})  # fmt: skip
    assert response.status_code == 302
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == (Payment.Status.PAID, TODAY)


def test_a_payment_of_another_contract_is_not_found(staff_client, contract):
    other = make_engagement().contract
    response = staff_client.post(detail(contract), {"action": "due", "payment": other.payments.get().pk})
    assert response.status_code == 404
    assert other.payments.get().status == "planned"


def test_variation_through_the_page(staff_client, contract):
    bad = staff_client.post(detail(contract), {"action": "vary", "vary-amount": "ten", "vary-reason": "Scope"})
    assert "Enter an amount in pounds" in bad.content.decode()
    staff_client.post(detail(contract), {"action": "vary", "vary-amount": "-50000", "vary-reason": "Scope cut"})
    contract.refresh_from_db()
    assert contract.current_value == Decimal("300000")


def test_record_and_verify_a_follow_on(staff_client, contract):
    challenge = contract.challenge
    url = reverse("contracts_manage:follow_on")
    fields = {
        "challenge": challenge.pk, "kind": "reuse", "supplier": contract.supplier_id, "buyer": challenge.sponsor_id,
        "title": "Reuse in Fife", "value": "120000", "starts_on": "2026-01-01", "ends_on": "2026-12-31",
        "awarded_on": "2025-12-01", "evidence": "Notice 99",
    }  # fmt: skip
    refused = staff_client.post(url, fields)
    assert "Reuse is by a public body other than the sponsor." in refused.content.decode()
    from tests.factories import PublicBodyFactory

    response = staff_client.post(url, fields | {"buyer": PublicBodyFactory().pk})
    follow_on = Contract.objects.get(title="Reuse in Fife")
    assert response["Location"] == detail(follow_on) and follow_on.verified_at is None
    staff_client.post(detail(follow_on), {"action": "verify"})
    follow_on.refresh_from_db()
    assert follow_on.verified_at is not None and follow_on.starts_on == date(2026, 1, 1)


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.APPLICANT])
def test_sponsors_and_suppliers_cannot_manage_contracts(client, contract, role):
    user = UserFactory(role=role, mfa=True)
    organisation = contract.buyer if role == Role.SPONSOR else contract.supplier
    membership_add(organisation=organisation, user=user, role="admin", by=None)
    client.force_login(user)
    for url in (detail(contract), reverse("contracts_manage:follow_on")):
        assert client.get(url).status_code in (302, 403)
    client.post(detail(contract), {"action": "vary", "vary-amount": "1", "vary-reason": "mine"})
    contract.refresh_from_db()
    assert contract.current_value == contract.value


@pytest.mark.parametrize("payment", ["x", "", "-1", "9" * 29])
def test_a_tampered_payment_id_is_refused_with_a_message_not_a_crash(staff_client, contract, payment):
    """Found by tests/hostile/test_form_sweep.py: these used to be 500s."""
    for action in ("due", "paid"):
        data = {"action": action, "payment": payment, f"{action}-payment": payment, f"{action}-paid_on": str(TODAY)}
        response = staff_client.post(detail(contract), data, follow=True)
        assert response.status_code in (200, 404), (action, response.status_code)
    assert not Payment.objects.filter(contract=contract, status=Payment.Status.PAID).exists()


def test_a_follow_on_for_an_impossible_challenge_id_is_a_field_error(staff_client):
    response = staff_client.post(reverse("contracts_manage:follow_on"), {"challenge": "9" * 29, "kind": "reuse"})
    assert response.status_code == 200
    assert "Select a valid choice" in unescape(response.content.decode())


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_contract_and_payment_lists_and_a_contracts_page_cost_the_same_queries_for_few_rows_and_many(
    staff_client, contract
):
    """Flat from a few rows to many (issue #22): the snippet listings of contracts and payments, with their
    suppliers, buyers and challenges, and a contract's own page with its tranches and variations."""
    from ledger.services import payment_schedule, variation_approve

    staff = staff_user()
    urls = [
        reverse("wagtailsnippets_ledger_contract:list"),
        reverse("wagtailsnippets_ledger_payment:list"),
        detail(contract),
    ]

    def grow(times: int) -> None:
        for _ in range(times):
            other = make_engagement().contract  # an exploration: a contract with its one tranche
            payment_schedule(contract=contract, description="Tranche", amount=Decimal("1000"), due_on=TODAY, by=staff)
            variation_approve(contract=other, amount=Decimal("100"), reason="More.", by=staff)
            variation_approve(contract=contract, amount=Decimal("1"), reason="More.", by=staff)

    grow(2)
    staff_client.get(urls[0])  # warm the per-process caches (content types, site settings) once
    few = [_queries(staff_client, url) for url in urls]
    grow(10)
    assert Contract.objects.count() >= 13 and Payment.objects.count() >= 24
    # New sponsors' spaces give their groups page permissions, which can change anyone's admin menu: it is made again
    # once (civtech/templatetags/wagtailadmin_sidebar.py), then kept.
    staff_client.get(urls[0])
    assert [_queries(staff_client, url) for url in urls] == few
