"""Account pages and emails speak as the site: its name, the design system's wording, and back to where you were."""

import gettext
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory, make_challenge, sign_in

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "civtech" / "locale" / "en_GB" / "LC_MESSAGES"
ANONYMOUS_PAGES = ["account_login", "account_signup", "account_reset_password", "account_email_verification_sent"]
ANONYMOUS_PAGES += ["account_reset_password_done"]
SIGNED_IN_PAGES = ["account_email", "account_change_password", "mfa_index", "mfa_activate_totp", "account_logout"]
SIGNED_IN_PAGES += ["account_reauthenticate"]
# The library's wording that must not reach a page.
LIBRARY_WORDING = re.compile(
    r"Sign In|Sign Up|Signup|Sign Out|Remember Me|Password \(again\)|Forgot your password|Password Reset|"
    r"Reset My Password|Verify Your Email|finalize|Email Addresses|Make Primary|Re-send|Add Email|"
    r"Current Password|New Password|Change Password|Two-Factor Authentication|Authenticator App|Recovery Codes|"
    r"Confirm Access|please reauthenticate|example\.com(?!\w)"
)


def visible_text(html: str) -> str:
    """The page's title and main content, as one line of words."""
    soup = BeautifulSoup(html, "html.parser")
    return " ".join(f"{soup.title.get_text()} {soup.main.get_text()}".split())


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages_use_the_sites_wording(client, name):
    text = visible_text(client.get(reverse(name)).content.decode())
    assert not LIBRARY_WORDING.search(text), LIBRARY_WORDING.search(text).group()


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages_use_the_sites_wording(client, name):
    sign_in(client, UserFactory(email="someone@civtech.example"))
    text = visible_text(client.get(reverse(name)).content.decode())
    assert not LIBRARY_WORDING.search(text), LIBRARY_WORDING.search(text).group()


def test_sign_in_and_create_an_account_say_so(client):
    sign_in_page = visible_text(client.get(reverse("account_login")).content.decode())
    for words in ["Sign in", "Remember me", "Forgotten your password?", "create an account"]:
        assert words in sign_in_page
    sign_up_page = visible_text(client.get(reverse("account_signup")).content.decode())
    for words in ["Create an account", "Confirm password", "Already have an account? Sign in"]:
        assert words in sign_up_page


def test_the_compiled_wording_matches_its_source():
    """The .mo Django reads is the .po people edit, compiled: every entry of one is in the other, the same."""
    source = _read_po(LOCALE / "django.po")
    with (LOCALE / "django.mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    assert source, "no entries read"
    assert {msgid: compiled.gettext(msgid) for msgid in source} == source
    assert len(compiled._catalog) - 1 == len(source)  # the header is the one entry more


def _read_po(path: Path) -> dict[str, str]:
    """msgid → msgstr of a simple .po file (no contexts or plurals, which ours does not use)."""
    entries: dict[str, str] = {}
    field, values = None, {"msgid": "", "msgstr": ""}
    for line in [*path.read_text().splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            if line.startswith("msgid ") and values["msgid"]:
                entries[values["msgid"]] = values["msgstr"]
            field, _, rest = line.partition(" ")
            if field == "msgid":
                values = {"msgid": "", "msgstr": ""}
            values[field] = _unquote(rest)
        elif line.startswith('"') and field:
            values[field] += _unquote(line)
        elif not line.strip():
            if values["msgid"]:
                entries[values["msgid"]] = values["msgstr"]
            field, values = None, {"msgid": "", "msgstr": ""}
    return entries


def _unquote(quoted: str) -> str:
    return quoted.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


# --- The site's name --------------------------------------------------------------------------------
def test_the_sites_row_names_the_service_at_its_address():
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == (settings.SERVICE_NAME, urlsplit(settings.SITE_URL).netloc)


def _name_the_site():
    from importlib import import_module
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = import_module("accounts.migrations.0004_site_name_and_domain")
    # The migration uses only the editor's connection; a real schema editor cannot open inside SQLite's transaction.
    migration.name_the_site(apps, SimpleNamespace(connection=connection))


def test_naming_the_site_keeps_every_row():
    Site.objects.filter(pk=settings.SITE_ID).update(name="example.com", domain="example.com")
    Site.objects.create(domain="other.example", name="Another site")
    _name_the_site()
    assert Site.objects.count() == 2
    assert Site.objects.get(pk=settings.SITE_ID).name == settings.SERVICE_NAME
    assert Site.objects.filter(domain="other.example").exists()


def test_naming_the_site_creates_the_row_when_there_is_none_and_moves_the_ids_on():
    Site.objects.all().delete()
    _name_the_site()
    assert Site.objects.get(pk=settings.SITE_ID).name == settings.SERVICE_NAME
    assert Site.objects.create(domain="next.example", name="Next").pk != settings.SITE_ID


def test_the_verification_email_names_the_site_even_if_the_sites_row_does_not(client, on_commit):
    Site.objects.filter(pk=settings.SITE_ID).update(name="example.com", domain="example.com")
    with on_commit():
        client.post(
            reverse("account_signup"),
            {"email": "new@civtech.example", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
        )
    (message,) = mail.outbox
    assert message.subject == "[CivTech] Confirm your email address"
    assert "example.com" not in message.body
    assert f"Hello from {settings.SERVICE_NAME}." in message.body
    assert f"create an account on {urlsplit(settings.SITE_URL).netloc}" in message.body


# --- Back to where they started -----------------------------------------------------------------------
def test_a_new_user_comes_back_to_the_challenge_they_started_from(client, on_commit):
    challenge = make_challenge(title="Fewer missed ferries")
    page = BeautifulSoup(client.get(challenge.url).content.decode(), "html.parser")
    create = page.main.find("a", string="Create an account")["href"]

    form = BeautifulSoup(client.get(create).content.decode(), "html.parser").select_one("main form")
    fields = {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}
    fields |= {"email": "new@civtech.example", "password1": "a-long-passphrase", "password2": "a-long-passphrase"}
    with on_commit():
        response = client.post(form["action"], fields)
    assert response.url == reverse("account_email_verification_sent")

    # The link in the email, opened later (perhaps in another browser), confirms and asks them to sign in...
    (link,) = re.findall(r"https?://\S+", mail.outbox[0].body)
    client.logout()
    confirm = BeautifulSoup(client.get(link).content.decode(), "html.parser").select_one("main form")
    fields = {field["name"]: field.get("value", "") for field in confirm.select("input[type=hidden]")}
    response = client.post(confirm["action"], fields)
    assert response.status_code == 302
    assert urlsplit(response.url).path == reverse("account_login")

    # ...and signing in returns them to the challenge.
    sign_in_form = BeautifulSoup(client.get(response.url).content.decode(), "html.parser").select_one("main form")
    fields = {field["name"]: field.get("value", "") for field in sign_in_form.select("input[type=hidden]")}
    fields |= {"login": "new@civtech.example", "password": "a-long-passphrase"}
    response = client.post(sign_in_form["action"], fields)
    assert response.url == challenge.url
