import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_grant_role
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from notifications.services import email_enqueue

from .models import Invitation, Membership, Organisation, OrganisationKind, hash_token
from .signals import organisation_saved

INVITATION_LIFETIME = timedelta(days=14)


def role_for_kind(kind: str) -> Role:
    """Members of a public body act as sponsors; everyone else applies."""
    return Role.SPONSOR if kind == OrganisationKind.PUBLIC_BODY else Role.APPLICANT


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(*, by: User, name: str, kind: str, add_creator: bool = True, **fields) -> Organisation:
    """Register an organisation; its creator becomes its first administrator."""
    require(has_permission("organisation.create", by, kind))
    sectors = fields.pop("sectors", [])
    organisation = Organisation.objects.create(name=name.strip(), slug=_unique_slug(name), kind=kind, **fields)
    organisation.sectors.set(sectors)
    audit(organisation, "civtech.organisation.create", by=by, data={"name": organisation.name, "kind": kind})
    organisation_group_ensure(organisation)
    if add_creator:
        membership_add(organisation=organisation, user=by, role=Membership.Role.ADMIN, by=by)
    organisation_saved.send(sender=Organisation, organisation=organisation, by=by)
    return organisation


@transaction.atomic
def organisation_saved_in_admin(*, organisation: Organisation, by: User) -> None:
    """After the admin's own form saved an organisation and its members: what the service would have done. Each
    member gets the role and group that come with the membership; the apps above hear of it (a public body gets
    its space for challenges)."""
    organisation_group_ensure(organisation)
    for membership in organisation.memberships.select_related("user"):
        membership_add(organisation=organisation, user=membership.user, role=membership.role, by=by)
    organisation_saved.send(sender=Organisation, organisation=organisation, by=by)


def organisation_group_ensure(organisation: Organisation) -> Group | None:
    """A public body's members share a group, so Wagtail can grant them rights on its pages."""
    if organisation.kind != OrganisationKind.PUBLIC_BODY:
        return None
    if organisation.group_id is None:
        organisation.group, _ = Group.objects.get_or_create(name=f"Members of {organisation.name}"[:150])
        organisation.save(update_fields=["group"])
        organisation.group.user_set.add(*User.objects.filter(memberships__organisation=organisation))
    return organisation.group


@transaction.atomic
def membership_add(*, organisation: Organisation, user: User, role: str, by: User | None) -> Membership:
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        before, membership.role = membership.role, role
        membership.save(update_fields=["role"])
        audit(organisation, "civtech.membership.add", by=by, data={"user": user.email, "before": before, "after": role})
    elif created:
        audit(organisation, "civtech.membership.add", by=by, data={"user": user.email, "role": role})
    user_grant_role(user=user, role=role_for_kind(organisation.kind), by=by)
    group = organisation_group_ensure(organisation)
    if group is not None:
        user.groups.add(group)
    return membership


@transaction.atomic
def invitation_send(*, organisation: Organisation, email: str, role: str, by: User) -> Invitation:
    """Invite a colleague by email. Re-inviting the same address replaces the earlier link."""
    require(has_permission("organisation.invite", by, organisation))
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise DomainError(f"{email} is already a member of {organisation}.", field="email")
    now = timezone.now()
    organisation.invitations.filter(email=email, accepted_at=None, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=by,
        expires_at=now + INVITATION_LIFETIME,
    )
    audit(organisation, "civtech.invitation.send", by=by, data={"email": email, "role": role})
    email_enqueue(
        to=email,
        template="organisations/email/invitation",
        context={
            "invitation": invitation,
            "inviter": by,
            "accept_url": settings.SITE_URL + reverse("organisations:invitation_accept", args=[token]),
        },
    )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise DomainError("This invitation link is not valid. Check you copied the whole link from the email.")
    return invitation


def invitation_problem(invitation: Invitation) -> str | None:
    """Why the invitation can no longer be accepted, in words that name nobody; None while it can."""
    if invitation.accepted_at:
        return "This invitation has already been used."
    if invitation.revoked_at:
        return "This invitation was replaced or withdrawn. Ask for a new one."
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired. Ask the person who invited you to send a new one."
    return None


def invitation_is_for(invitation: Invitation, user) -> bool:
    """Whether the user is signed in with the address the invitation was sent to: only they may see that address
    (or who sent it) and accept."""
    return bool(user.is_authenticated and user.email and user.email.strip().lower() == invitation.email)


WRONG_ACCOUNT = (
    "This invitation is for a different email address. Sign out and sign in as the invited address to accept it."
)


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    invitation = invitation_for_token(token)
    problem = invitation_problem(invitation)
    if problem:
        raise DomainError(problem)
    if not invitation_is_for(invitation, user):
        raise DomainError(WRONG_ACCOUNT)  # never the invited address: whoever holds the link may not be its owner
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit(invitation.organisation, "civtech.invitation.accept", by=user, data={"email": invitation.email})
    return membership_add(organisation=invitation.organisation, user=user, role=invitation.role, by=user)
