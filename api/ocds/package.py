"""Release and record packages of every published challenge."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from ..links import absolute
from .merge import compile_release
from .releases import iso, releases_for
from .selectors import processes

RELEASES_PATH = "/api/v1/ocds/releases.json"
RECORDS_PATH = "/api/v1/ocds/records.json"
# Party scale (details.scale) comes from this extension.
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_partyDetails_scale_extension/master/extension.json"
]


def _metadata(path: str, now: datetime) -> dict:
    return {
        "uri": absolute(path),
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": iso(now),
        "publisher": {"name": settings.OCDS_PUBLISHER_NAME, "uri": settings.SITE_URL},
        "license": settings.OCDS_LICENSE,
        "publicationPolicy": absolute("/open-data/"),
    }


def _releases_by_process(now: datetime) -> list[list[dict]]:
    return [releases_for(challenge, now) for challenge in processes()]


def release_package(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    releases = [release for process in _releases_by_process(now) for release in process]
    return {**_metadata(RELEASES_PATH, now), "releases": releases}


def record_package(now: datetime | None = None) -> dict:
    now = now or timezone.now()
    package_uri = absolute(RELEASES_PATH)
    records = [
        {
            "ocid": process[0]["ocid"],
            "releases": [{"url": f"{package_uri}#{r['id']}", "date": r["date"], "tag": r["tag"]} for r in process],
            "compiledRelease": compile_release(process),
        }
        for process in _releases_by_process(now)
    ]
    return {**_metadata(RECORDS_PATH, now), "packages": [package_uri], "records": records}
