"""The applications app's pages, by who uses them: `applicant` (the application journey), `assess` (an assessor's
queue and scoring), `sponsor` (applications to a sponsor's challenges) and `admin` (staff evaluation in the Wagtail
admin: assignment, the moderation board, decisions)."""
