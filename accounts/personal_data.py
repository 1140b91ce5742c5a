"""What the platform holds about a person as an account: their details, addresses, sign-in factors, API tokens,
sessions and admin profile (composed by civtech.personal_data). None of it outlives an erasure."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from rest_framework.authtoken.models import Token
from wagtail.users.models import UserProfile

from civtech.personal_parts import PersonalData

from .models import User


def _export(user: User, addresses: list[str]) -> dict:
    # Secrets (password hash, TOTP secrets, recovery codes, API token keys) are never included: only that they exist.
    return {
        "user": _user_fields(user),
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary").order_by("email")
        ),
        "mfa_authenticators": list(Authenticator.objects.filter(user=user).values("type", "created_at")),
        "social_accounts": list(SocialAccount.objects.filter(user=user).values("provider", "uid", "date_joined")),
        "api_tokens": list(Token.objects.filter(user=user).values("created")),
        "admin_profile": _admin_profile(user),
    }


def _user_fields(user: User) -> dict:
    fields = {f.name: getattr(user, f.attname) for f in user._meta.concrete_fields if f.name != "password"}
    fields["has_usable_password"] = user.has_usable_password()
    fields["groups"] = sorted(user.groups.values_list("name", flat=True))
    return fields


def _admin_profile(user: User) -> dict | None:
    """Wagtail's per-user settings (only staff and sponsors who use the admin have one)."""
    profile = UserProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    skip = {"id", "user", "avatar", "dismissibles"}
    fields = {f.name: getattr(profile, f.attname) for f in profile._meta.concrete_fields if f.name not in skip}
    fields["has_avatar"] = bool(profile.avatar)
    return fields


def _deletions(user: User, addresses: list[str]) -> dict:
    return {
        "sessions": Session.objects.filter(session_key__in=_session_keys(user)),
        "email_addresses": EmailAddress.objects.filter(user=user),
        "mfa_authenticators": Authenticator.objects.filter(user=user),
        "social_accounts": SocialAccount.objects.filter(user=user),
        "api_tokens": Token.objects.filter(user=user),
        "admin_profiles": UserProfile.objects.filter(user=user),
    }


def _session_keys(user: User) -> list[str]:
    """Django keeps no index from user to session (allauth's usersessions app is not installed), so every
    stored session is decoded. Sessions are database-backed here (the default SESSION_ENGINE)."""
    return [
        session.session_key
        for session in Session.objects.iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]


def _refusal(user: User) -> str | None:
    if user.is_superuser:
        return "This account is a superuser. Remove its superuser status first (by someone else), then erase it."
    return None


def _before_erase(user: User, erased: str) -> None:
    avatars = [profile.avatar.name for profile in UserProfile.objects.filter(user=user) if profile.avatar]
    if avatars:  # files are not transactional: remove them only once the erasure has committed
        storage = UserProfile._meta.get_field("avatar").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in avatars])


PERSONAL_DATA = [
    PersonalData(
        order=10,
        export=_export,
        shown=frozenset({EmailAddress, Authenticator, SocialAccount, Token, UserProfile}),
        deletions=_deletions,
        refusal=_refusal,
        before_erase=_before_erase,
    )
]
