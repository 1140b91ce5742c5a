"""Every account page uses the site's design-system layout, not allauth's default look."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory, sign_in

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = ["account_login", "account_signup", "account_reset_password", "account_email_verification_sent"]
SIGNED_IN_PAGES = ["account_email", "account_change_password", "mfa_index", "mfa_activate_totp", "account_logout"]


def assert_design_system_page(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert "ds_site-header" in html
    assert 'id="main-content"' in html
    assert "vendor/design-system.min.css" in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages_use_the_design_system(client, name):
    assert_design_system_page(client.get(reverse(name)))


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages_use_the_design_system(client, name):
    sign_in(client, UserFactory())
    assert_design_system_page(client.get(reverse(name)))


def providers_configured_by(extra_env: dict) -> dict:
    """SOCIALACCOUNT_PROVIDERS as the settings compute it from a given environment (a fresh process)."""
    root = Path(__file__).resolve().parents[2]
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "civtech.settings.test", **extra_env}
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_openid_connect_provider_is_enabled_purely_from_the_environment(client, settings):
    assert providers_configured_by({}) == {}
    providers = providers_configured_by(
        {
            "OIDC_CLIENT_ID": "civtech",
            "OIDC_CLIENT_SECRET": "s3cret",
            "OIDC_SERVER_URL": "https://id.example.gov.scot/",
            "OIDC_PROVIDER_ID": "scotaccount",
            "OIDC_PROVIDER_NAME": "ScotAccount",
        }
    )
    (app,) = providers["openid_connect"]["APPS"]
    assert app["settings"]["server_url"] == "https://id.example.gov.scot/"

    settings.SOCIALACCOUNT_PROVIDERS = providers
    html = client.get(reverse("account_login")).content.decode()
    assert "ScotAccount" in html
    assert "/accounts/oidc/scotaccount/login/" in html
