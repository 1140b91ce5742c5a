"""What every sprints service shares: who to tell, how to tell them, and the one transition check."""

from collections.abc import Iterable, Mapping, Set
from typing import TypeVar

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from civtech.errors import DomainError
from notifications.services import email_enqueue

from ..models import Engagement

S = TypeVar("S", bound=str)  # a model's choices (TextChoices), or plain text


def transition(obj, new: S, allowed: Mapping[S, Set[S]], *, field: str = "status") -> S:
    """Move `obj.<field>` to `new` if the table allows it from the current value; return the old value."""
    before = getattr(obj, field)
    if new not in allowed.get(before, set()):
        current = getattr(obj, f"get_{field}_display")()
        target = dict(obj._meta.get_field(field).choices)[new]
        raise DomainError(f"This is {current.lower()}, so it cannot become {target.lower()}.")
    setattr(obj, field, new)
    return before


def team_members(engagement: Engagement) -> list[User]:
    return list(
        User.objects.filter(memberships__organisation_id=engagement.application.organisation_id, is_active=True)
    )


def sponsor_members(engagement: Engagement) -> list[User]:
    return list(
        User.objects.filter(memberships__organisation_id=engagement.application.challenge.sponsor_id, is_active=True)
    )


def programme_staff() -> list[User]:
    return list(User.objects.filter(groups__name=Role.PROGRAMME_STAFF.label, is_active=True))


def workspace_url(engagement: Engagement, name: str = "sprints:overview", *args) -> str:
    return settings.SITE_URL + reverse(name, args=[engagement.pk, *args])


def notify(people: Iterable[User], *, subject: str, body: str, url: str, exclude: User | None = None) -> int:
    """Queue one workspace email per person (on commit, through the outbox); returns how many."""
    sent = 0
    for person in {p.pk: p for p in people}.values():
        if exclude is not None and person.pk == exclude.pk:
            continue
        email_enqueue(
            to=person.email,
            template="sprints/email/workspace",
            context={"subject": subject, "body": body, "url": url, "person": person},
        )
        sent += 1
    return sent
