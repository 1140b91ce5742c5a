"""What an organisation holds about a person: their memberships and the invitations sent to their addresses
(composed by civtech.personal_data)."""

from civtech.audit import audit
from civtech.personal_parts import PersonalData, by_address

from .models import Invitation, Membership


def _export(user, addresses: list[str]) -> dict:
    return {
        "memberships": [
            {"organisation": m.organisation.name, "role": m.role, "since": m.created_at}
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "invitations": [
            {
                "organisation": i.organisation.name,
                "email": i.email,
                "role": i.role,
                "sent_at": i.created_at,
                "accepted_at": i.accepted_at,
                "revoked_at": i.revoked_at,
            }
            for i in Invitation.objects.filter(by_address("email", addresses)).select_related("organisation")
        ],
    }


def _deletions(user, addresses: list[str]) -> dict:
    return {
        "memberships": Membership.objects.filter(user=user),
        # Unaccepted invitations (pending, revoked or expired) only ever held the address; accepted ones are
        # the organisation's record of who joined, so they are kept and anonymised.
        "invitations": Invitation.objects.filter(by_address("email", addresses), accepted_at=None),
    }


def _anonymisations(user, addresses: list[str], erased: str) -> dict:
    accepted = Invitation.objects.filter(by_address("email", addresses)).exclude(accepted_at=None)
    return {"accepted_invitations": (accepted, {"email": erased})}


def _refusal(user) -> str | None:
    """Refused while an organisation would be left with members but no administrator to manage them."""
    names = []
    for membership in Membership.objects.filter(user=user, role=Membership.Role.ADMIN).select_related("organisation"):
        others = membership.organisation.memberships.exclude(user=user)
        if others.exists() and not others.filter(role=Membership.Role.ADMIN).exists():
            names.append(membership.organisation.name)
    if names:
        return (
            f"This person is the only administrator of {', '.join(names)}, which has other members. "
            "Make another member an administrator first (Directory → Organisations in the admin), then erase."
        )
    return None


def _before_erase(user, erased: str) -> None:
    # The organisation's history says the member left, as it says when they joined (now under the new address).
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        audit(
            membership.organisation,
            "civtech.membership.remove",
            data={"user": erased, "role": membership.role, "reason": "personal data erased"},
        )


PERSONAL_DATA = [
    PersonalData(
        order=20,
        export=_export,
        shown=frozenset({Membership}),
        kept=frozenset({(Invitation, "invited_by"), (Invitation, "accepted_by")}),
        deletions=_deletions,
        anonymisations=_anonymisations,
        refusal=_refusal,
        before_erase=_before_erase,
    )
]
