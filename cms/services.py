"""Writes for the editorial pages: registering for a Demo Day."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from civtech.audit import audit
from civtech.errors import DomainError
from civtech.formats import uk_datetime
from notifications.services import email_enqueue

from .models import DemoDayPage, DemoDayRegistration


def _already(email: str) -> DomainError:
    return DomainError(
        f"{email} is already registered for this event: look for our confirmation email. "
        "To register someone else, use their email address.",
        field="email",
    )


@transaction.atomic
def demo_day_register(
    *,
    event: DemoDayPage,
    name: str,
    email: str,
    organisation: str,
    accessibility_needs: str = "",
    by: User | None = None,
    now=None,
) -> DemoDayRegistration:
    """Take one place at a Demo Day and email the guest a confirmation, once.

    The event row is locked so two people cannot take the last place at the same moment; the unique
    (event, email) row means a double click or a second tab registers, and emails, once.
    """
    now = now or timezone.now()
    event = DemoDayPage.objects.select_for_update().get(pk=event.pk)
    email = email.strip().lower()
    if not event.live:
        raise DomainError("This event is not open for registration.")
    if event.registration_closed_at(now):
        raise DomainError(f"Registration closed when the event started, at {uk_datetime(event.starts_at)} (UK time).")
    if not name.strip():
        raise DomainError("Enter your name.", field="name")
    if not organisation.strip():
        raise DomainError("Enter your organisation.", field="organisation")
    if event.registrations.filter(email=email).exists():
        raise _already(email)
    if event.registrations.count() >= event.capacity:
        raise DomainError(
            "Sorry, this event is now full, so we could not register you. Use the contact details at the "
            "foot of this page to ask about places that free up."
        )
    try:
        with transaction.atomic():
            registration = DemoDayRegistration.objects.create(
                event=event,
                name=name.strip(),
                email=email,
                organisation=organisation.strip(),
                accessibility_needs=accessibility_needs.strip(),
                user=by if by is not None and by.is_authenticated else None,
            )
    except IntegrityError:  # the same address in another tab, a moment ago
        raise _already(email) from None
    audit(
        registration,
        "civtech.demo_day.register",
        by=registration.user,
        data={"event": event.pk, "places_taken": event.registrations.count(), "capacity": event.capacity},
    )
    email_enqueue(
        to=email,
        template="cms/email/demo_day_registered",
        context={
            "registration": registration,
            "event": event,
            "when": uk_datetime(event.starts_at),
            "url": settings.SITE_URL + event.get_url_parts()[2],
        },
    )
    return registration
