"""Everything the platform holds about one person: export it (a subject access request, UK GDPR article 15) or
erase it (article 17).

Erasure anonymises the account rather than deleting it. Applications, versions, scores, decisions, returns and
workspace records belong to an organisation or to the procurement record, must be kept for audit and point at the
user with PROTECT; they stay, pointing at an account with no name, no address and no way to sign in. What exists
only because of the person (addresses, sign-in factors, sessions, subscriptions, preferences, registrations, the
emails sent to them) is deleted, and their address is replaced wherever the audit log quotes it.
"""

import json
import re
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from rest_framework.authtoken.models import Token
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.users.models import UserProfile

from accounts.models import User
from applications.models import Application, ApplicationVersion, Assignment
from challenges.models import AlertSubscription, ChallengeFollow, Clarification
from civtech.audit import audit
from civtech.errors import DomainError
from cms.models import DemoDayRegistration
from impact.models import ImpactReturn
from notifications.models import OutboundEmail
from organisations.models import Invitation, Membership
from sprints.models import Message, MessageNotice, MessagePreference, SprintUpdate

ERASED_REGISTRATION_LABEL = "Demo Day registration (erased)"


# --- Finding the person ---------------------------------------------------------------------------
def person_find(email: str) -> User | None:
    """The account with this address, as its sign-in address or as another verified address of theirs."""
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
        user = address.user if address else None
    return user


def erased_address(user: User) -> str:
    return f"erased-{user.pk}@invalid"


def is_erased(user: User) -> bool:
    return user.email == erased_address(user)


def person_addresses(user: User) -> list[str]:
    """The addresses that data held by address alone (alerts, invitations, Demo Day, emails) is matched on: the
    sign-in address (the platform writes to it; accounts made by staff or the seed have no EmailAddress row) and
    any other *verified* one. Anyone can add someone else's address to an account unverified, and a request from
    them must neither reveal nor erase what belongs to that address's owner."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return _normalised([user.email, *verified])


def _normalised(addresses) -> list[str]:
    return sorted({address.strip().lower() for address in addresses if address and address.strip()})


def _by_address(field: str, addresses: list[str]) -> Q:
    # Case-insensitive: most rows store lower case, but an address typed elsewhere may not be.
    q = Q(pk__in=[])
    for address in addresses:
        q |= Q(**{f"{field}__iexact": address})
    return q


# --- Export -----------------------------------------------------------------------------------------
def person_export(*, user: User) -> dict:
    """A JSON-serialisable copy of what is held about `user`. Secrets (password hash, TOTP secrets, recovery
    codes, API token keys) are never included: only that they exist. Data held by address alone is matched on
    the account's verified addresses (person_addresses)."""
    addresses = person_addresses(user)
    export = {
        "exported_at": timezone.now(),
        "user": _user_fields(user),
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary").order_by("email")
        ),
        "mfa_authenticators": list(Authenticator.objects.filter(user=user).values("type", "created_at")),
        "social_accounts": list(SocialAccount.objects.filter(user=user).values("provider", "uid", "date_joined")),
        "api_tokens": list(Token.objects.filter(user=user).values("created")),
        "admin_profile": _admin_profile(user),
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
            for i in Invitation.objects.filter(_by_address("email", addresses)).select_related("organisation")
        ],
        "alert_subscriptions": [
            {
                "email": s.email,
                "sectors": [sector.name for sector in s.sectors.all()],
                "keywords": s.keywords,
                "created_at": s.created_at,
                "confirmed_at": s.confirmed_at,
                "unsubscribed_at": s.unsubscribed_at,
            }
            for s in _alert_subscriptions(user, addresses).prefetch_related("sectors")
        ],
        "challenge_follows": [
            {"challenge": f.challenge.title, "since": f.created_at}
            for f in ChallengeFollow.objects.filter(user=user).select_related("challenge")
        ],
        "clarification_questions": [
            {"challenge": c.challenge.title, "question": c.question, "asked_at": c.asked_at, "status": c.status}
            for c in Clarification.objects.filter(asked_by=user).select_related("challenge")
        ],
        "demo_day_registrations": [
            {
                "event": r.event.title,
                "name": r.name,
                "email": r.email,
                "organisation": r.organisation,
                "accessibility_needs": r.accessibility_needs,
                "registered_at": r.registered_at,
            }
            for r in _demo_day_registrations(user, addresses).select_related("event")
        ],
        "emails_sent_to_them": list(
            OutboundEmail.objects.filter(_by_address("to", addresses))
            .values("to", "subject", "status", "created_at", "sent_at", "body_text")
            .order_by("created_at")
        ),
        "message_preference": MessagePreference.objects.filter(user=user).values_list("frequency", flat=True).first(),
        "message_notices": list(MessageNotice.objects.filter(user=user).values("message_id", "created_at")),
        "audit_log": _audit_entries(user),
        "records_for_organisations": _records_for_organisations(user),
    }
    # Dates, decimals and UUIDs become strings here, so callers can hand the result to json.dumps as it is.
    return json.loads(json.dumps(export, cls=DjangoJSONEncoder))


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


def _alert_subscriptions(user: User, addresses: list[str]) -> QuerySet:
    return AlertSubscription.objects.filter(Q(user=user) | _by_address("email", addresses))


def _demo_day_registrations(user: User, addresses: list[str]) -> QuerySet:
    return DemoDayRegistration.objects.filter(Q(user=user) | _by_address("email", addresses))


def _audit_entries(user: User) -> list[dict]:
    """What the person did (entries by them) and what was done to their account (entries on it)."""
    user_type = ContentType.objects.get_for_model(User)
    about = Q(user=user) | Q(content_type=user_type, object_id=str(user.pk))
    entries = [*ModelLogEntry.objects.filter(about), *PageLogEntry.objects.filter(user=user)]
    entries.sort(key=lambda e: e.timestamp)
    return [{"action": e.action, "timestamp": e.timestamp, "object": e.label, "data": e.data} for e in entries]


# What _records_for_organisations lists one by one; every other reference to the user is counted in "other".
LISTED = {
    (Application, "created_by"),
    (ApplicationVersion, "submitted_by"),
    (ImpactReturn, "submitted_by"),
    (SprintUpdate, "posted_by"),
    (Message, "author"),
    (Assignment, "assessor"),
}
# Rows the export already shows in their own sections.
PERSONAL = {
    EmailAddress, Authenticator, SocialAccount, Token, UserProfile, Membership, AlertSubscription, ChallengeFollow,
    Clarification, DemoDayRegistration, MessagePreference, MessageNotice, ModelLogEntry, PageLogEntry,
}  # fmt: skip


def _records_for_organisations(user: User) -> dict:
    """References (not contents) to what the person made for an organisation or the procurement record."""
    return {
        "applications_created": [
            {
                "reference": a.reference,
                "status": a.status,
                "organisation": a.organisation.name,
                "challenge": a.challenge.title,
                "created_at": a.created_at,
            }
            for a in Application.objects.filter(created_by=user).select_related("organisation", "challenge")
        ],
        "application_versions_submitted": [
            {"application": v.application.reference, "number": v.number, "submitted_at": v.submitted_at}
            for v in ApplicationVersion.objects.filter(submitted_by=user).select_related("application")
        ],
        "impact_returns_submitted": [
            {
                "id": r.pk,
                "organisation": r.organisation.name,
                "kind": r.kind,
                "period_end": r.period_end,
                "submitted_at": r.submitted_at,
            }
            for r in ImpactReturn.objects.filter(submitted_by=user).select_related("organisation")
        ],
        "sprint_updates_posted": [
            {"id": u.pk, "engagement": u.sprint.engagement_id, "sprint": u.sprint.number, "posted_at": u.posted_at}
            for u in SprintUpdate.objects.filter(posted_by=user).select_related("sprint")
        ],
        "messages_written": list(
            Message.objects.filter(author=user).values("id", "engagement_id", "posted_at").order_by("posted_at")
        ),
        "assessments": [
            {
                "application": a.application.reference or a.application_id,
                "stage": a.stage,
                "assigned_at": a.assigned_at,
                "declared_at": a.declared_at,
                "had_conflict": a.has_conflict,
                "submitted_at": a.submitted_at,
                "scores": a.score_count,
            }
            for a in Assignment.objects.filter(assessor=user)
            .select_related("application")
            .annotate(score_count=Count("scores"))
        ],
        "other": _references(user, skip_models=PERSONAL, skip_fields=LISTED),
    }


def _references(user: User, *, skip_models=(), skip_fields=()) -> dict[str, int]:
    """Rows in any installed model whose foreign key points at `user`, counted per model and field.

    Found from the model registry rather than listed, so a model added later is not missed."""
    counts = {}
    for model in apps.get_models():
        if model in skip_models or model._meta.proxy:  # a proxy's rows are its concrete model's
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model is not User or (model, field.name) in skip_fields:
                continue
            count = model._default_manager.filter(**{field.name: user}).count()
            if count:
                counts[f"{model._meta.label}.{field.name}"] = count
    return counts


# --- Erasure ----------------------------------------------------------------------------------------
def _deletions(user: User, addresses: list[str]) -> dict[str, QuerySet]:
    """What exists only because of the person, so goes. Demo Day registrations are deleted rather than blanked:
    they serve no procurement purpose, may hold health information (accessibility needs), and deleting one
    frees the place at an event still to come; the audit log keeps that a registration happened."""
    return {
        "email_addresses": EmailAddress.objects.filter(user=user),
        "mfa_authenticators": Authenticator.objects.filter(user=user),
        "social_accounts": SocialAccount.objects.filter(user=user),
        "api_tokens": Token.objects.filter(user=user),
        "admin_profiles": UserProfile.objects.filter(user=user),
        "memberships": Membership.objects.filter(user=user),
        # Unaccepted invitations (pending, revoked or expired) only ever held the address; accepted ones are
        # the organisation's record of who joined, so they are kept and anonymised below.
        "invitations": Invitation.objects.filter(_by_address("email", addresses), accepted_at=None),
        "alert_subscriptions": _alert_subscriptions(user, addresses),
        "challenge_follows": ChallengeFollow.objects.filter(user=user),
        "message_preferences": MessagePreference.objects.filter(user=user),
        "demo_day_registrations": _demo_day_registrations(user, addresses),
        "emails_to_them": OutboundEmail.objects.filter(_by_address("to", addresses)),
    }


def _session_keys(user: User) -> list[str]:
    """Django keeps no index from user to session (allauth's usersessions app is not installed), so every
    stored session is decoded. Sessions are database-backed here (the default SESSION_ENGINE)."""
    return [
        session.session_key
        for session in Session.objects.iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk)
    ]


def _scrub(value: Any, pattern: re.Pattern, replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, dict):
        return {key: _scrub(item, pattern, replacement) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, pattern, replacement) for item in value]
    return value


def _audit_redactions(user: User, addresses: list[str], registration_ids: list[int]):
    """(entry, label, data) for every audit entry that names the person, with the name taken out.

    Services quote addresses in `data` (membership, invitation, alert and assessor entries) and Wagtail labels
    an entry with the object's str(): a user's full name, a subscription's address, a registration's guest.
    The entries themselves stay: they are the record of what happened, now attributed to the anonymised account.
    """
    erased = erased_address(user)
    pattern = re.compile("|".join(re.escape(a) for a in addresses) or "(?!)", re.IGNORECASE)  # (?!): no match
    user_type = ContentType.objects.get_for_model(User)
    registration_type = ContentType.objects.get_for_model(DemoDayRegistration)
    mentions = Q(pk__in=[])
    for address in addresses:
        mentions |= Q(label__icontains=address) | Q(data_text__icontains=address)
    registrations = [str(pk) for pk in registration_ids]
    on_their_objects = Q(content_type=user_type, object_id=str(user.pk)) | Q(
        content_type=registration_type, object_id__in=registrations
    )
    for model, where in ((ModelLogEntry, mentions | on_their_objects), (PageLogEntry, mentions)):
        for entry in model.objects.annotate(data_text=Cast("data", TextField())).filter(where):
            label = pattern.sub(erased, entry.label)
            object_id = getattr(entry, "object_id", None)  # PageLogEntry has none
            if entry.content_type_id == user_type.pk and object_id == str(user.pk):
                label = erased
            elif entry.content_type_id == registration_type.pk and object_id in registrations:
                label = ERASED_REGISTRATION_LABEL
            data = _scrub(entry.data, pattern, erased)
            if (label, data) != (entry.label, entry.data):
                yield entry, label, data


def _sole_admin_of(user: User) -> list[str]:
    """Organisations that would be left with members but no administrator to manage them."""
    names = []
    for membership in Membership.objects.filter(user=user, role=Membership.Role.ADMIN).select_related("organisation"):
        others = membership.organisation.memberships.exclude(user=user)
        if others.exists() and not others.filter(role=Membership.Role.ADMIN).exists():
            names.append(membership.organisation.name)
    return names


def _refuse_if_protected(user: User) -> None:
    if user.is_superuser:
        raise DomainError(
            "This account is a superuser. Remove its superuser status first (by someone else), then erase it."
        )
    if sole := _sole_admin_of(user):
        raise DomainError(
            f"This person is the only administrator of {', '.join(sole)}, which has other members. "
            "Make another member an administrator first (Directory → Organisations in the admin), then erase."
        )


def _plan(user: User) -> tuple[list[str], dict[str, QuerySet], list[str], QuerySet]:
    addresses = person_addresses(user)
    accepted = Invitation.objects.filter(_by_address("email", addresses)).exclude(accepted_at=None)
    return addresses, _deletions(user, addresses), _session_keys(user), accepted


def person_erase_preview(*, user: User) -> dict:
    """What person_erase would do, counted from the same queries, changing nothing."""
    if is_erased(user):
        return {"already_erased": True}
    _refuse_if_protected(user)
    addresses, deletions, session_keys, accepted = _plan(user)
    registration_ids = list(deletions["demo_day_registrations"].values_list("pk", flat=True))
    return {
        "already_erased": False,
        "deleted": {"sessions": len(session_keys), **{name: qs.count() for name, qs in deletions.items()}},
        "anonymised": {
            "user": 1,
            "accepted_invitations": accepted.count(),
            "audit_entries": sum(1 for _ in _audit_redactions(user, addresses, registration_ids)),
        },
        "kept": _kept(user),
    }


def _kept(user: User) -> dict[str, int]:
    """Records that stay, pointing at the anonymised account, including the audit entries by the person."""
    deleted = {(queryset.model, "user") for queryset in _deletions(user, []).values()}
    return _references(user, skip_fields=deleted)


@transaction.atomic
def person_erase(*, user: User, requested_by: str, reason: str) -> dict:
    """Erase a person's data in one transaction, keeping the organisation's and the procurement records.

    Returns the counts of what was deleted, anonymised and kept; an account already erased is left alone."""
    requested_by, reason = requested_by.strip(), reason.strip()
    if not requested_by or not reason:
        raise DomainError("Say who asked for the erasure and why: both are recorded in the audit log.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user):
        return {"already_erased": True}
    _refuse_if_protected(user)
    erased = erased_address(user)
    addresses, deletions, session_keys, accepted = _plan(user)
    registration_ids = list(deletions["demo_day_registrations"].values_list("pk", flat=True))

    redacted = 0
    for entry, label, data in list(_audit_redactions(user, addresses, registration_ids)):
        entry.label, entry.data = label, data
        entry.save(update_fields=["label", "data"])
        redacted += 1
    # The organisation's history says the member left, as it says when they joined (now under the new address).
    for membership in deletions["memberships"].select_related("organisation"):
        audit(
            membership.organisation,
            "civtech.membership.remove",
            data={"user": erased, "role": membership.role, "reason": "personal data erased"},
        )
    avatars = [p.avatar.name for p in deletions["admin_profiles"] if p.avatar]

    deleted = {"sessions": Session.objects.filter(session_key__in=session_keys).delete()[0]}
    for name, queryset in deletions.items():
        deleted[name] = queryset.count()
        queryset.delete()
    accepted_count = accepted.update(email=erased)

    user.email = erased
    user.first_name = user.last_name = ""
    user.last_login = None
    user.is_active = user.is_staff = False
    user.set_unusable_password()  # also invalidates any session this missed (its auth hash no longer matches)
    user.save()
    # An erased account keeps no rights: roles and the public-body groups that grant page permissions go too.
    user.groups.clear()
    user.user_permissions.clear()

    result = {
        "already_erased": False,
        "deleted": deleted,
        "anonymised": {"user": 1, "accepted_invitations": accepted_count, "audit_entries": redacted},
        "kept": _kept(user),
    }
    # Logged after anonymising, so the entry's label is the erased address; it records who asked, why and what
    # was removed (counts only), never what the person's details were.
    audit(user, "civtech.person.erase", data={"requested_by": requested_by, "reason": reason, "deleted": deleted})
    if avatars:  # files are not transactional: remove them only once the erasure has committed
        transaction.on_commit(lambda: _delete_files(UserProfile._meta.get_field("avatar").storage, avatars))
    return result


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
