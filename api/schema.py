"""OpenAPI generation hooks (drf-spectacular)."""


def only_api_v1(endpoints):
    """Keep our API only: Wagtail's admin API also runs on DRF but is not part of the public contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
