"""Absolute links to public pages. Published data (the API, OCDS, CSV) always names the canonical site
(`SITE_URL`), whoever asks and however they reached us."""

from django.conf import settings


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def page_url(page) -> str:
    # Page.get_url() reads the site root paths from the cache after the first call, so lists stay constant.
    return absolute(page.get_url() or page.url_path)


def ocid(challenge_id: int) -> str:
    return f"{settings.OCDS_OCID_PREFIX}{challenge_id}"
