import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

# The UK SME definition the programme reports against: fewer than 250 staff and turnover under £40m.
SME_MAX_EMPLOYEES = 250
SME_MAX_TURNOVER = Decimal("40000000")


class Region(models.TextChoices):
    """Scotland's economic regions (Regional Economic Partnerships), plus outside Scotland."""

    ABERDEEN = "aberdeen", "Aberdeen City and Shire"
    AYRSHIRE = "ayrshire", "Ayrshire"
    EDINBURGH = "edinburgh", "Edinburgh and South East Scotland"
    FORTH_VALLEY = "forth_valley", "Forth Valley"
    GLASGOW = "glasgow", "Glasgow City Region"
    HIGHLANDS = "highlands", "Highlands and Islands"
    SOUTH = "south", "South of Scotland"
    TAY = "tay", "Tay Cities"
    REST_OF_UK = "rest_of_uk", "Rest of the UK"
    OUTSIDE_UK = "outside_uk", "Outside the UK"


class OrganisationKind(models.TextChoices):
    PUBLIC_BODY = "public_body", "Public body"
    COMPANY = "company", "Company"
    INDIVIDUAL = "individual", "Individual"
    OTHER = "other", "Other organisation"


class OrganisationQuerySet(models.QuerySet):
    def public_bodies(self):
        return self.filter(kind=OrganisationKind.PUBLIC_BODY)

    def suppliers(self):
        return self.exclude(kind=OrganisationKind.PUBLIC_BODY)

    def smes(self):
        return self.filter(employees__lt=SME_MAX_EMPLOYEES, turnover__lt=SME_MAX_TURNOVER)


class Organisation(ClusterableModel):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    company_number = models.CharField(max_length=20, blank=True, help_text="Companies House or charity number.")
    website = models.URLField(blank=True)
    address = models.TextField(blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    description = models.TextField(blank=True, help_text="A short public description.")
    sectors = models.ManyToManyField("challenges.Sector", blank=True, related_name="organisations")
    employees = models.PositiveIntegerField(null=True, blank=True, help_text="Headcount, for the SME test.")
    turnover = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Annual turnover in pounds."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Public bodies have a group of their members, to which Wagtail grants page permissions on the
    # body's own challenges (see challenges.services.sponsor_space_ensure).
    group = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="organisation"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_sme(self) -> bool | None:
        """True or False when the evidence is there; None when employees or turnover is unknown."""
        if self.kind == OrganisationKind.PUBLIC_BODY:
            return False
        if self.employees is None or self.turnover is None:
            return None
        return self.employees < SME_MAX_EMPLOYEES and self.turnover < SME_MAX_TURNOVER


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", "Administrator"
        MEMBER = "member", "Member"

    organisation = ParentalKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="unique_membership")]
        ordering = ["organisation__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An emailed invitation to join an organisation. Only a hash of the token is stored."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()
