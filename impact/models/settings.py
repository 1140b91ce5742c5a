from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

FRACTION = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))]


class Assumptions(models.Model):
    """HM Treasury Green Book additionality assumptions. The newest row is current; earlier rows are the history.

    net = gross × (1 − leakage) × (1 − displacement) × (1 − substitution) × multiplier × (1 − deadweight)
    """

    leakage = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.10"), validators=FRACTION,
                                  help_text="Share of benefit going to people outside Scotland.")  # fmt: skip
    displacement = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.25"), validators=FRACTION,
                                       help_text="Share taken from other Scottish firms.")  # fmt: skip
    substitution = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.05"), validators=FRACTION,
                                       help_text="Share where firms swapped in a funded activity.")  # fmt: skip
    multiplier = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.30"),
                                     validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(3))],
                                     help_text="Supply-chain and spending effects (1 = none).")  # fmt: skip
    deadweight = models.DecimalField(max_digits=4, decimal_places=3, default=Decimal("0.30"), validators=FRACTION,
                                     help_text="Share that would have happened anyway.")  # fmt: skip
    note = models.TextField(blank=True, help_text="Why these values: the source or evaluation they come from.")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name_plural = "assumptions"

    def __str__(self) -> str:
        return f"Assumptions of {self.changed_at:%-d %B %Y}"

    @classmethod
    def current(cls) -> "Assumptions":
        """The newest assumptions, or the defaults (unsaved) before staff have set any."""
        return cls.objects.first() or cls()

    def net_factor(self) -> Decimal:
        return (
            (1 - self.leakage) * (1 - self.displacement) * (1 - self.substitution) * self.multiplier
            * (1 - self.deadweight)
        )  # fmt: skip
