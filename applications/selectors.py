"""Reads for the applicant pages: each returns everything its page shows in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from .models import SECTIONS, Application, Attachment
from .services import word_count


def applications_for_user(user) -> QuerySet[Application]:
    """Every application of every organisation the user belongs to, newest change first."""
    return (
        Application.objects.filter(organisation__memberships__user=user)
        .select_related("challenge__round", "organisation")
        .distinct()
        .order_by("-updated_at")
    )


def application_detail(pk: int) -> Application:
    """One application with its challenge, round, organisation and attachments (raises DoesNotExist)."""
    return (
        Application.objects.select_related("challenge__round", "organisation")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")))
        .get(pk=pk)
    )


def section_rows(application: Application) -> list[dict]:
    """The six sections with their label, limit, words and task status."""
    rows = []
    for key, label, limit, hint in SECTIONS:
        words = word_count(getattr(application, key))
        if words == 0:
            status, colour = "Not started", "grey"
        elif words > limit:
            status, colour = "Over the word limit", "red"
        else:
            status, colour = "In progress", "blue"
        rows.append(
            {
                "key": key,
                "label": label,
                "limit": limit,
                "hint": hint,
                "text": getattr(application, key),
                "words": words,
                "status": status,
                "colour": colour,
                "over": words > limit,
            }
        )
    return rows
