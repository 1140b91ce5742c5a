"""The impact returns a person submitted for their company (composed by civtech.personal_data): listed by
reference, kept on erasure (the programme's evidence of impact)."""

from civtech.personal_parts import PersonalData

from .models import Assumptions, Benefit, Export, ImpactReturn, ImpactReturnCorrection


def _records(user) -> dict:
    return {
        "impact_returns_submitted": [
            {
                "id": r.pk,
                "organisation": r.organisation.name,
                "kind": r.kind,
                "period_end": r.period_end,
                "submitted_at": r.submitted_at,
            }
            for r in ImpactReturn.objects.filter(submitted_by=user).select_related("organisation")
        ]
    }


PERSONAL_DATA = [
    PersonalData(
        order=80,
        records=_records,
        listed=frozenset({(ImpactReturn, "submitted_by")}),
        kept=frozenset(
            {
                (ImpactReturn, "verified_by"),
                (ImpactReturnCorrection, "corrected_by"),
                (Benefit, "recorded_by"),
                (Benefit, "verified_by"),
                (Assumptions, "changed_by"),
                # A staff export is the programme's file; it goes with its retention, not with the person.
                (Export, "requested_by"),
            }
        ),
    )
]
