"""Impact: impact returns from companies, benefits from sponsors, and the additionality assumptions the reports
apply. The money (contracts, variations, payments) is in the ledger app, which impact reads."""

from .benefits import Benefit
from .exports import Export
from .pages import ImpactPage
from .returns import ImpactReturn, ImpactReturnCorrection, ReturnReminder
from .settings import Assumptions

__all__ = [
    "Assumptions",
    "Benefit",
    "Export",
    "ImpactPage",
    "ImpactReturn",
    "ImpactReturnCorrection",
    "ReturnReminder",
]
