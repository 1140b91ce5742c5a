"""Deterministic demo organisations: real Scottish public bodies as sponsors, fictional companies."""

from decimal import Decimal

from accounts.models import User

from .models import Membership, Organisation, OrganisationKind, Region
from .services import membership_add

# The demo people (accounts.demo) who belong to an organisation, each its admin: the sponsor and the applicant.
DEMO_MEMBERS = [("sponsor@transport.example", "transport-scotland"), ("applicant@thistle.example", "thistle-data")]

PUBLIC_BODIES = [
    ("Scottish Government", "scottish-government", Region.EDINBURGH, "https://www.gov.scot"),
    ("Transport Scotland", "transport-scotland", Region.GLASGOW, "https://www.transport.gov.scot"),
    ("NHS National Services Scotland", "nhs-national-services-scotland", Region.EDINBURGH, "https://www.nss.nhs.scot"),
    ("Stirling Council", "stirling-council", Region.FORTH_VALLEY, "https://www.stirling.gov.uk"),
    (
        "Scottish Fire and Rescue Service",
        "scottish-fire-and-rescue-service",
        Region.GLASGOW,
        "https://www.firescotland.gov.uk",
    ),
    (
        "Historic Environment Scotland",
        "historic-environment-scotland",
        Region.EDINBURGH,
        "https://www.historicenvironment.scot",
    ),
    (
        "Disclosure Scotland",
        "disclosure-scotland",
        Region.GLASGOW,
        "https://www.mygov.scot/organisations/disclosure-scotland",
    ),
]

# (name, slug, kind, region, employees, turnover, description) — micro to large, plus an individual.
COMPANIES = [
    (
        "Thistle Data Ltd",
        "thistle-data",
        OrganisationKind.COMPANY,
        Region.EDINBURGH,
        4,
        180_000,
        "Open data tools for local services.",
    ),
    (
        "Clyde Robotics Ltd",
        "clyde-robotics",
        OrganisationKind.COMPANY,
        Region.GLASGOW,
        18,
        1_200_000,
        "Inspection drones and robotics for infrastructure.",
    ),
    (
        "Cairngorm Analytics Ltd",
        "cairngorm-analytics",
        OrganisationKind.COMPANY,
        Region.HIGHLANDS,
        45,
        3_500_000,
        "Machine learning for rural transport and health.",
    ),
    (
        "Forth Health Systems Ltd",
        "forth-health-systems",
        OrganisationKind.COMPANY,
        Region.FORTH_VALLEY,
        120,
        9_800_000,
        "Clinical workflow software.",
    ),
    (
        "Caledonian Digital plc",
        "caledonian-digital",
        OrganisationKind.COMPANY,
        Region.EDINBURGH,
        900,
        85_000_000,
        "Digital transformation consultancy.",
    ),
    (
        "Tay Circular CIC",
        "tay-circular",
        OrganisationKind.OTHER,
        Region.TAY,
        9,
        350_000,
        "A community interest company reusing public sector IT.",
    ),
    (
        "Morag MacLeod",
        "morag-macleod",
        OrganisationKind.INDIVIDUAL,
        Region.HIGHLANDS,
        1,
        40_000,
        "Independent service designer.",
    ),
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
