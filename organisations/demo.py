"""Deterministic demo organisations: real Scottish public bodies as sponsors, fictional companies."""

from decimal import Decimal

from accounts.models import User
from civtech.demo_data import DemoRun, DemoStep, demo_data

from .models import Membership, Organisation, OrganisationKind
from .services import membership_add

# The demo people (accounts.demo) who belong to an organisation, each its admin: the sponsor and the applicant.
DEMO_MEMBERS = [("sponsor@transport.example", "transport-scotland"), ("applicant@thistle.example", "thistle-data")]

# The organisations themselves are data: organisations/demo_organisations.yaml. Read as tuples:
# PUBLIC_BODIES (name, slug, region, website); COMPANIES (name, slug, kind, region, employees, turnover, description).
_DATA = demo_data(__file__, "demo_organisations.yaml")
PUBLIC_BODIES = [(b["name"], b["slug"], b["region"], b["website"]) for b in _DATA["public_bodies"]]
COMPANIES = [
    (c["name"], c["slug"], c["kind"], c["region"], c["employees"], c["turnover"], c["description"])
    for c in _DATA["companies"]
]


def seed(*, scale: int, log) -> dict[str, Organisation]:
    created = 0
    organisations = {}
    for name, slug, region, website in PUBLIC_BODIES:
        org, made = Organisation.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": OrganisationKind.PUBLIC_BODY, "region": region, "website": website},
        )
        organisations[slug], created = org, created + made
    for copy in range(1, scale + 1):
        suffix = "" if copy == 1 else f" {copy}"
        for name, slug, kind, region, employees, turnover, description in COMPANIES:
            slug = slug if copy == 1 else f"{slug}-{copy}"
            org, made = Organisation.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name + suffix,
                    "kind": kind,
                    "region": region,
                    "employees": employees,
                    "turnover": Decimal(turnover),
                    "description": description,
                },
            )
            organisations[slug], created = org, created + made
        log(f"organisations: {copy}/{scale} batches")
    for email, slug in DEMO_MEMBERS:
        user = User.objects.get(email=email)
        membership_add(organisation=organisations[slug], user=user, role=Membership.Role.ADMIN, by=None)
    log(f"organisations: {created} created, {len(organisations) - created} already present")
    return organisations


def _step(run: DemoRun) -> None:
    run.made["organisations"] = seed(scale=run.scale, log=run.log)  # and the demo people's memberships


DEMO_STEPS = [DemoStep(20, _step)]
