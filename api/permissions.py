"""Who may use the staff endpoints of the API (`/api/v1/staff/`).

The gate is programme staff only, even where an object rule would let others in (an applicant may see their own
application on the web, but the staff API is a bulk read of everyone's). Each object is then checked with the same
rule the web pages use (`application.view`, `impact_return.view`, `benefit.view`), see api.access.
"""

from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule


@rule("api.staff")
def can_use_staff_api(user, obj=None) -> Result:
    if not getattr(user, "is_authenticated", False):
        return denied("Send a programme staff API token (Authorization: Token <key>).")
    if is_programme_staff(user):
        return ALLOWED
    return denied("Only the CivTech team can use the staff API.")
