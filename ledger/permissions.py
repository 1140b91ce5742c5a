"""Who may record, verify, vary and pay contracts (programme staff). Who may see one is the staff views' own gate."""

from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule


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
