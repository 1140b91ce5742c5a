"""The applications app's forms: `applicant` (sections, declarations, attachments, and the assessor's score and
conflict forms) and `admin` (staff evaluation: assignment, moderation, decisions, interviews)."""
