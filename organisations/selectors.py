from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Invitation, Membership, Organisation


def memberships_for_user(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def organisation_with_team(slug: str) -> Organisation:
    pending = Invitation.objects.filter(accepted_at=None, revoked_at=None, expires_at__gt=timezone.now())
    return Organisation.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("user").order_by("user__email")),
        Prefetch("invitations", queryset=pending.select_related("invited_by"), to_attr="pending_invitations"),
    ).get(slug=slug)
