"""Money and impact: contracts and payments (what the programme funded and what followed), impact returns from
companies, benefits from sponsors, and the additionality assumptions the reports apply."""

from .benefits import Benefit
from .contracts import Contract, Payment, Variation
from .exports import Export
from .pages import ImpactPage
from .returns import ImpactReturn, ImpactReturnCorrection, ReturnReminder
from .settings import Assumptions

__all__ = [
    "Assumptions",
    "Benefit",
    "Contract",
    "Export",
    "ImpactPage",
    "ImpactReturn",
    "ImpactReturnCorrection",
    "Payment",
    "ReturnReminder",
    "Variation",
]
