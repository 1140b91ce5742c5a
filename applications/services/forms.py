"""Moving drafts onto a newer version of their form, before the deadline.

A form that has been used is never edited in place (formbuilder.models): a change makes a new version, and drafts
started earlier stay on theirs. Staff may move the drafts of a form whose calls are still open onto its latest
version. Answers are kept by question key: a question that is still asked keeps its answer, a new one starts empty,
and an answer to a question that is gone stays in the working copy (unshown) in case staff move back. Each
application's team is emailed.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from formbuilder.models import ApplicationForm, FormVersion
from formbuilder.questions import FormSpec, validate_spec
from notifications.services import email_enqueue

from ..models import Application


def drafts_behind(form: ApplicationForm):
    """Drafts on an earlier version of this form whose call is still open."""
    latest = form.current_version()
    return Application.objects.filter(
        form_version__form=form,
        form_version__number__lt=latest.number,
        status=Application.Status.DRAFT,
        challenge__round__call_closes__gt=timezone.now(),
    )


@transaction.atomic
def drafts_move_to_latest(*, form: ApplicationForm, by: User) -> int:
    """Move every draft behind on this form to its latest version and tell each team. Returns how many moved."""
    require(has_permission("application_form.move_drafts", by, form))
    latest: FormVersion = form.current_version()
    drafts = list(drafts_behind(form).select_for_update(of=("self",)).select_related("challenge__round", "created_by"))
    if not drafts:
        raise DomainError("No drafts are on an earlier version of this form with their call still open.")
    moved = 0
    for application in drafts:
        data = latest.questions
        merged = FormSpec.from_data({**data, "sections": [*data["sections"], *application.challenge_questions]})
        if validate_spec(merged):  # its challenge's own questions clash with the new version: it stays
            continue
        moved += 1
        before = application.form_version_id
        application.form_version = latest
        application._spec = None  # read again from the new version
        application.save(update_fields=["form_version", "updated_at"])
        new_questions = [q.label for q in application.spec.questions() if q.key not in application.answers]
        audit(
            application,
            "civtech.application.form_moved",
            by=by,
            data={"before": before, "after": latest.pk, "version": latest.number},
        )
        email_enqueue(
            to=application.created_by.email,
            template="applications/email/form_moved",
            context={"application": application, "new_questions": new_questions},
        )
    if not moved:
        raise DomainError("No draft could move: the challenges' own questions clash with the latest version.")
    return moved
