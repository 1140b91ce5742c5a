"""Who may see recommendations and "more like this". Everything else in search is public by construction."""

from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule
from organisations.models import Membership, OrganisationKind


@rule("search.recommend")
def can_see_recommendations(user, organisation) -> Result:
    """A company's recommended challenges are for its own members (they reveal what it applied for)."""
    if not user.is_authenticated:
        return denied("Sign in to see challenges recommended for your company.")
    if organisation is None:
        return denied("Join or create a company profile to get recommendations.")
    if organisation.kind == OrganisationKind.PUBLIC_BODY:
        return denied("Recommendations are for companies; public bodies see similar past challenges instead.")
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        return denied("Only members of this company can see its recommendations.")
    return ALLOWED


@rule("search.similar")
def can_see_similar(user, challenge) -> Result:
    """A draft is private to its sponsor, so "more like this" for it is too."""
    if not user.is_authenticated:
        return denied("Sign in to see similar challenges and solutions.")
    if is_programme_staff(user):
        return ALLOWED
    if Membership.objects.filter(user=user, organisation_id=challenge.sponsor_id).exists():
        return ALLOWED
    return denied("Only the challenge's sponsor and the CivTech team can see this.")
