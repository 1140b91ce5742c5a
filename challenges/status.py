"""A challenge's public status, derived from its round's dates and whether it stopped early.

Never typed in by hand. `derive_status` answers for one challenge in Python; `status_filter` gives
the same answer as a database filter, so listings can filter and count by status in SQL. A test
checks that the two agree at every boundary.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    UPCOMING = "upcoming", "Upcoming"
    OPEN = "open", "Open for applications"
    CLOSED = "closed", "Closed: assessing applications"
    EXPLORATION = "exploration", "In exploration"
    ACCELERATOR = "accelerator", "In the accelerator"
    COMPLETED = "completed", "Completed"


# Where each status begins, in round-date order; a status lasts until the next one begins.
BOUNDARIES = [
    (Status.UPCOMING, None),
    (Status.OPEN, "call_opens"),
    (Status.CLOSED, "call_closes"),
    (Status.EXPLORATION, "exploration_start"),
    (Status.ACCELERATOR, "accelerator_start"),
    (Status.COMPLETED, "accelerator_end"),
]

TAG_COLOURS = {
    Status.UPCOMING: "grey",
    Status.OPEN: "green",
    Status.CLOSED: "orange",
    Status.EXPLORATION: "blue",
    Status.ACCELERATOR: "purple",
    Status.COMPLETED: "grey",
}


def derive_status(round_, now: datetime, stopped_at: datetime | None = None) -> Status:
    if stopped_at is not None and stopped_at <= now:
        return Status.COMPLETED
    current = Status.UPCOMING
    for status, field in BOUNDARIES[1:]:
        if getattr(round_, field) <= now:
            current = status
    return current


def status_filter(status: str, now: datetime, prefix: str = "round__") -> Q:
    """A Q object selecting challenges whose derived status is `status` at `now`."""
    stopped = Q(stopped_at__isnull=False, stopped_at__lte=now)
    if status == Status.COMPLETED:
        return stopped | Q(**{f"{prefix}accelerator_end__lte": now})
    fields = [field for _, field in BOUNDARIES]
    index = [s for s, _ in BOUNDARIES].index(Status(status))
    start, end = fields[index], fields[index + 1]
    q = Q(**{f"{prefix}{end}__gt": now})
    if start:
        q &= Q(**{f"{prefix}{start}__lte": now})
    return q & ~stopped
