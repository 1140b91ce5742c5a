"""Who recorded, verified and approved the money (composed by civtech.personal_data): part of the procurement
record, so kept on erasure, pointing at the anonymised account."""

from civtech.personal_parts import PersonalData

from .models import Contract, Variation

PERSONAL_DATA = [
    PersonalData(
        order=50,
        kept=frozenset({(Contract, "recorded_by"), (Contract, "verified_by"), (Variation, "approved_by")}),
    )
]
