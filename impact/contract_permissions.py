"""Who may record, verify, vary and pay contracts, and who may see them."""

from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule
from organisations.models import Membership


def _staff_only(user, what: str) -> Result:
    if is_programme_staff(user):
        return ALLOWED
    return denied(f"Only the CivTech team {what}.")


@rule("contract.record")
def can_record(user, challenge) -> Result:
    return _staff_only(user, "records contracts")


@rule("contract.verify")
def can_verify(user, contract) -> Result:
    return _staff_only(user, "verifies contracts")


@rule("contract.vary")
def can_vary(user, contract) -> Result:
    return _staff_only(user, "approves contract variations")


@rule("contract.pay")
def can_pay(user, contract) -> Result:
    return _staff_only(user, "schedules and records payments")


@rule("contract.view")
def can_view(user, contract) -> Result:
    """Staff, and the members of the buyer and of the supplier."""
    if not getattr(user, "is_authenticated", False):
        return denied("Sign in to see this contract.")
    if is_programme_staff(user):
        return ALLOWED
    parties = [pk for pk in (contract.buyer_id, contract.supplier_id) if pk]
    if Membership.objects.filter(user=user, organisation_id__in=parties).exists():
        return ALLOWED
    return denied("Only the buyer, the supplier and the CivTech team can see this contract.")
