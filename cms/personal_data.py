"""Demo Day registrations (composed by civtech.personal_data). Deleted rather than blanked on erasure: they serve no
procurement purpose, may hold health information (accessibility needs), and deleting one frees the place at an
event still to come; the audit log keeps that a registration happened, under a label that names nobody."""

from django.db.models import Q

from civtech.personal_parts import PersonalData, by_address

from .models import DemoDayRegistration


def _registrations(user, addresses: list[str]):
    return DemoDayRegistration.objects.filter(Q(user=user) | by_address("email", addresses))


def _export(user, addresses: list[str]) -> dict:
    return {
        "demo_day_registrations": [
            {
                "event": r.event.title,
                "name": r.name,
                "email": r.email,
                "organisation": r.organisation,
                "accessibility_needs": r.accessibility_needs,
                "registered_at": r.registered_at,
            }
            for r in _registrations(user, addresses).select_related("event")
        ]
    }


def _deletions(user, addresses: list[str]) -> dict:
    return {"demo_day_registrations": _registrations(user, addresses)}


PERSONAL_DATA = [
    PersonalData(
        order=90,
        export=_export,
        shown=frozenset({DemoDayRegistration}),
        deletions=_deletions,
        erased_labels={"demo_day_registrations": "Demo Day registration (erased)"},
    )
]
