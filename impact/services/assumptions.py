from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission

from ..models import Assumptions

FIELDS = ["leakage", "displacement", "substitution", "multiplier", "deadweight"]


@transaction.atomic
def assumptions_update(*, by: User, note: str, **values) -> Assumptions:
    """Adopt new additionality assumptions. Earlier ones are kept, so every change is on the record."""
    require(has_permission("contract.vary", by, None))  # the CivTech team's money-and-reporting rights
    if not note.strip():
        raise DomainError("Say where these values come from (an evaluation or guidance).", field="note")
    before = Assumptions.current()
    assumptions = Assumptions(note=note.strip(), changed_by=by, **{f: values[f] for f in FIELDS})
    try:
        assumptions.full_clean(exclude=["changed_by"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field) from None
    assumptions.save()
    audit(
        assumptions,
        "civtech.assumptions.update",
        by=by,
        data={f: {"before": str(getattr(before, f)), "after": str(values[f])} for f in FIELDS},
    )
    return assumptions
