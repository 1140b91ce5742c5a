"""What a person made for an applicant organisation or as an assessor (composed by civtech.personal_data): listed by
reference, kept on erasure (the organisation's and the procurement record)."""

from django.db.models import Count

from civtech.personal_parts import PersonalData

from .models import Application, ApplicationVersion, Assignment, Attachment, Decision, Moderation


def _records(user) -> dict:
    return {
        "applications_created": [
            {
                "reference": a.reference,
                "status": a.status,
                "organisation": a.organisation.name,
                "challenge": a.challenge.title,
                "created_at": a.created_at,
            }
            for a in Application.objects.filter(created_by=user).select_related("organisation", "challenge")
        ],
        "application_versions_submitted": [
            {"application": v.application.reference, "number": v.number, "submitted_at": v.submitted_at}
            for v in ApplicationVersion.objects.filter(submitted_by=user).select_related("application")
        ],
        "assessments": [
            {
                "application": a.application.reference or a.application_id,
                "stage": a.stage,
                "assigned_at": a.assigned_at,
                "declared_at": a.declared_at,
                "had_conflict": a.has_conflict,
                "submitted_at": a.submitted_at,
                "scores": a.score_count,
            }
            for a in Assignment.objects.filter(assessor=user)
            .select_related("application")
            .annotate(score_count=Count("scores"))
        ],
    }


PERSONAL_DATA = [
    PersonalData(
        order=40,
        records=_records,
        listed=frozenset({(Application, "created_by"), (ApplicationVersion, "submitted_by"), (Assignment, "assessor")}),
        kept=frozenset(
            {
                (Attachment, "uploaded_by"),
                (Assignment, "assigned_by"),
                (Moderation, "moderated_by"),
                (Decision, "decided_by"),
            }
        ),
    )
]
