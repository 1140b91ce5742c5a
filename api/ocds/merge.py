"""OCDS merging (records): releases applied oldest first; objects merge field by field, arrays of objects with an
`id` merge item by item (so parties, awards, contracts, transactions and milestones accumulate), any other value
is replaced by the newer one."""

from copy import deepcopy
from datetime import datetime
from typing import TypeGuard

RELEASE_ONLY = ("id", "date", "tag")


def _is_identified(items: object) -> TypeGuard[list[dict]]:
    return isinstance(items, list) and bool(items) and all(isinstance(i, dict) and "id" in i for i in items)


def _merge(target: dict, source: dict) -> None:
    for key, value in source.items():
        if isinstance(value, dict):
            existing = target.get(key)
            target[key] = existing if isinstance(existing, dict) else {}
            _merge(target[key], value)
        elif _is_identified(value):
            existing = target.get(key)
            current = existing if _is_identified(existing) else []
            by_id = {item["id"]: item for item in current}
            for item in value:
                if item["id"] in by_id:
                    _merge(by_id[item["id"]], item)
                else:
                    copied = deepcopy(item)
                    current.append(copied)
                    by_id[item["id"]] = copied
            target[key] = current
        else:
            target[key] = deepcopy(value)


def compile_release(releases: list[dict]) -> dict:
    ordered = sorted(releases, key=lambda r: datetime.fromisoformat(r["date"]))
    compiled: dict = {}
    for release in ordered:
        _merge(compiled, {k: v for k, v in release.items() if k not in RELEASE_ONLY})
    latest = ordered[-1]
    return {"ocid": latest["ocid"], "id": f"{latest['ocid']}-compiled", "date": latest["date"], "tag": ["compiled"],
            **{k: v for k, v in compiled.items() if k != "ocid"}}  # fmt: skip
