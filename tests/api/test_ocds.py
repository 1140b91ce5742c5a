"""OCDS 1.1: one contracting process per published challenge, releases per step, valid against the 1.1.5 schema
with the shared offline validator (when ../shared is present), and record packages too."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from api.ocds.merge import compile_release
from api.ocds.package import record_package, release_package

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
VALIDATOR = SHARED / "tools" / "validate_ocds.py"
SCHEMAS = SHARED / "ocds-1.1.5"
needs_shared = pytest.mark.skipif(not VALIDATOR.exists(), reason=f"OCDS validator not found at {VALIDATOR}")


def validate(package: dict, tmp_path) -> str:
    path = tmp_path / "package.json"
    path.write_text(json.dumps(package))
    result = subprocess.run([sys.executable, str(VALIDATOR), str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def process(package: dict, challenge) -> list[dict]:
    ocid = f"ocds-civtech-{challenge.pk}"
    return [r for r in package["releases"] if r["ocid"] == ocid]


def tags(releases) -> list[list[str]]:
    return [r["tag"] for r in releases]


@needs_shared
def test_the_whole_release_package_is_valid(programme, tmp_path):
    package = release_package()
    assert validate(package, tmp_path) == f"OCDS: {len(package['releases'])} releases, 0 problems"


def test_only_published_challenges_are_processes(programme):
    ocids = {r["ocid"] for r in release_package()["releases"]}
    assert f"ocds-civtech-{programme.draft.pk}" not in ocids
    assert len(ocids) == 5


def test_open_call_has_planning_and_tender(programme):
    releases = process(release_package(), programme.open_call)
    assert tags(releases) == [["planning"], ["tender"]]
    planning, tender = releases
    assert planning["planning"]["budget"]["amount"] == {"amount": 365000.0, "currency": "GBP"}  # 3 × £5k + £350k
    call = tender["tender"]
    assert call["status"] == "active"
    assert call["procurementMethod"] == "open"
    assert call["hasEnquiries"] is True
    assert call["documents"][0]["url"].endswith("/open-call-challenge/")
    assert call["tenderPeriod"]["endDate"] > call["tenderPeriod"]["startDate"]
    assert planning["parties"] == [tender["parties"][0]]
    assert planning["parties"][0]["roles"] == ["buyer", "procuringEntity", "payer"]


def test_evaluated_call_counts_tenderers_without_naming_them(programme):
    releases = process(release_package(), programme.evaluated)
    assert tags(releases) == [["planning"], ["tender"], ["tenderUpdate"]]
    update = releases[-1]["tender"]
    assert update == {"id": update["id"], "status": "active", "numberOfTenderers": 3}
    assert "tenderers" not in json.dumps(releases).replace("numberOfTenderers", "")
    names = {a.organisation.name for a in programme.losers}
    assert not any(name in json.dumps(releases) for name in names)


def test_exploration_awards_contracts_and_the_paid_payment(programme):
    releases = process(release_package(), programme.exploration)
    assert tags(releases) == [["planning"], ["tender"], ["tenderUpdate"], ["award", "contract"], ["implementation"]]
    award = releases[3]
    assert len(award["awards"]) == 2 and len(award["contracts"]) == 2
    supplier = next(p for p in award["parties"] if "supplier" in p["roles"])
    assert supplier["details"] == {"scale": "sme"}
    assert supplier["roles"] == ["tenderer", "supplier", "payee"]
    assert "address" in supplier and set(supplier["address"]) == {"region", "countryName"}
    (paid,) = releases[4]["contracts"]
    (transaction,) = paid["implementation"]["transactions"]
    assert transaction["value"] == {"amount": 5000.0, "currency": "GBP"}
    assert transaction["payee"]["id"] == f"civtech-org-{programme.explorers[0].organisation.pk}"


def test_accelerator_contract_has_its_milestones(programme):
    releases = process(release_package(), programme.accelerator)
    stages = [r["id"].rsplit("-", 2)[-2:] for r in releases if "award" in r["tag"]]
    assert stages == [["exploration", "award"], ["accelerator", "award"]]
    accelerator = next(r for r in releases if r["id"].endswith("accelerator-award"))
    (contract,) = accelerator["contracts"]
    assert [(m["title"], m["status"]) for m in contract["milestones"]] == [
        ("Alpha", "scheduled"),
        ("Beta", "scheduled"),
    ]


def test_completed_challenge_payments_settle_milestones_in_the_record(programme):
    package = record_package()
    ocid = f"ocds-civtech-{programme.completed.pk}"
    (record,) = [r for r in package["records"] if r["ocid"] == ocid]
    compiled = record["compiledRelease"]
    accelerator = next(c for c in compiled["contracts"] if c.get("milestones"))
    assert [(m["title"], m["status"]) for m in accelerator["milestones"]] == [("Alpha", "met"), ("Beta", "scheduled")]
    assert [t["value"]["amount"] for t in accelerator["implementation"]["transactions"]] == [100000.0]
    assert compiled["tag"] == ["compiled"]
    assert record["releases"][0]["url"].split("#")[1] == f"{ocid}-planning"
    assert "Confidential" not in json.dumps(package)  # private follow-on contracts are not in OCDS


def test_merge_updates_by_id_and_replaces_other_values():
    first = {
        "ocid": "o",
        "id": "1",
        "date": "2025-01-01T00:00:00+00:00",
        "tag": ["tender"],
        "tender": {"id": "t", "status": "active", "items": [{"id": "1", "description": "a"}]},
    }
    second = {"ocid": "o", "id": "2", "date": "2025-02-01T00:00:00+00:00", "tag": ["tenderUpdate"],
              "tender": {"id": "t", "status": "complete", "items": [{"id": "2", "description": "b"}]}}  # fmt: skip
    compiled = compile_release([second, first])
    assert compiled["tender"]["status"] == "complete"
    assert [i["id"] for i in compiled["tender"]["items"]] == ["1", "2"]
    assert compiled["date"] == second["date"]


@needs_shared
def test_record_package_is_valid_against_the_record_package_schema(programme):
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    base = "https://standard.open-contracting.org/schema/1__1__5/"
    release_schema = json.loads((SCHEMAS / "release-schema.json").read_text())
    record_schema = json.loads((SCHEMAS / "record-package-schema.json").read_text())
    registry = Registry().with_resources(
        [(base + "release-schema.json", Resource.from_contents(release_schema, default_specification=DRAFT4))]
    )
    package = record_package()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft4Validator(record_schema, registry=registry)
              .iter_errors(package)]  # fmt: skip
    assert errors == []
    assert len(package["records"]) == 5


@needs_shared
def test_closed_codelists_are_respected(programme):
    """The validator's schema check does not read codelists, so check the closed ones here."""
    import csv

    codes = {name: {row["Code"] for row in csv.DictReader((SCHEMAS / "codelists" / f"{name}.csv").open())}
             for name in ("releaseTag", "tenderStatus", "awardStatus", "contractStatus", "milestoneStatus", "method",
                          "procurementCategory", "currency")}  # fmt: skip
    for release in release_package()["releases"]:
        assert set(release["tag"]) <= codes["releaseTag"]
        tender = release.get("tender", {})
        assert tender.get("status", "active") in codes["tenderStatus"]
        assert tender.get("procurementMethod", "open") in codes["method"]
        assert tender.get("mainProcurementCategory", "services") in codes["procurementCategory"]
        assert {a["status"] for a in release.get("awards", [])} <= codes["awardStatus"]
        for contract in release.get("contracts", []):
            assert contract.get("status", "active") in codes["contractStatus"]
            assert {m["status"] for m in contract.get("milestones", [])} <= codes["milestoneStatus"]


@needs_shared
def test_export_command_writes_a_valid_package(programme, tmp_path, settings):
    settings.OCDS_OCID_PREFIX = "ocds-abc123-"
    out = tmp_path / "ocds.json"
    call_command("export_ocds", "-o", str(out))
    package = json.loads(out.read_text())
    assert {r["ocid"].rsplit("-", 1)[0] for r in package["releases"]} == {"ocds-abc123"}
    result = subprocess.run([sys.executable, str(VALIDATOR), str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
    call_command("export_ocds", "-o", str(tmp_path / "records.json"), "--records")
    assert json.loads((tmp_path / "records.json").read_text())["records"]


def test_api_serves_both_packages(programme, anon):
    releases = anon.get("/api/v1/ocds/releases.json").json()
    records = anon.get("/api/v1/ocds/records.json").json()
    assert releases["uri"].endswith("/api/v1/ocds/releases.json") and releases["version"] == "1.1"
    assert len(records["records"]) == len({r["ocid"] for r in releases["releases"]})
