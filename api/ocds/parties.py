"""OCDS parties. An organisation's id is stable across releases (`civtech-org-<pk>`) so records merge it into one
party; its roles are the same in every release for the same reason (OCDS replaces arrays of strings on merge).

Identifiers: a company's Companies House number (scheme GB-COH) when we have one. Public bodies and others carry
only our id: their registration numbers are not recorded in a scheme we could name honestly.
Only public facts: name, region (no street address), website. Scale (`details.scale`, the partyScale extension)
comes from Organisation.is_sme and is left out when unknown.
"""

from typing import Any

from organisations.models import Organisation, OrganisationKind, Region

BUYER_ROLES = ["buyer", "procuringEntity", "payer"]
# Suppliers are the tenderers that won: unsuccessful applicants are never named (applying is private), so the
# tender gives only their number (numberOfTenderers) and no `tenderers` list.
SUPPLIER_ROLES = ["tenderer", "supplier", "payee"]
OUTSIDE_UK = {Region.OUTSIDE_UK}


def party_id(organisation: Organisation) -> str:
    return f"civtech-org-{organisation.pk}"


def reference(organisation: Organisation) -> dict:
    return {"id": party_id(organisation), "name": organisation.name}


def party(organisation: Organisation, roles: list[str]) -> dict:
    data: dict[str, Any] = {"id": party_id(organisation), "name": organisation.name, "roles": roles}
    if organisation.kind == OrganisationKind.COMPANY and organisation.company_number.strip():
        data["identifier"] = {"scheme": "GB-COH", "id": organisation.company_number.strip(),
                              "legalName": organisation.name}  # fmt: skip
    if organisation.region:
        data["address"] = {"region": Region(organisation.region).label}
        if organisation.region not in OUTSIDE_UK:
            data["address"]["countryName"] = "United Kingdom"
    if organisation.website:
        data["contactPoint"] = {"name": organisation.name, "url": organisation.website}
    sme = organisation.is_sme
    if organisation.kind != OrganisationKind.PUBLIC_BODY and sme is not None:
        data["details"] = {"scale": "sme" if sme else "large"}
    return data
