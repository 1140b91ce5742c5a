"""Every write in the applications app, split by bounded context:

- `submission`: an application from start to submission and withdrawal, with its attachments (re-exported here, as
  the applicant's journey is what most callers want: `from applications.services import application_submit`);
- `assessment`: assessors assigned, conflicts declared, scores given;
- `moderation`: the board that turns scores into a ranking, and the moderation notes;
- `decisions`: shortlist, interview, selection and rejection, one transition table.
"""

from .submission import (
    MAX_ATTACHMENTS,
    answer_file_attach,
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    attachment_add,
    attachment_remove,
    submission_problems,
    word_count,
)

__all__ = [
    "MAX_ATTACHMENTS",
    "answer_file_attach",
    "application_save",
    "application_start",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "attachment_remove",
    "submission_problems",
    "word_count",
]
