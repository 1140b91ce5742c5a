"""The sign-in doors that libraries mount, sent to allauth's single flow (with its second factor and rate limits).

Wagtail mounts its own Django LoginView at /admin/login/ and /_util/login/ (for private pages), and a password
reset at /admin/password_reset/. Each would sign a person in with a password alone. These routes sit in front of
the library's, so a request (GET or POST) never reaches them: it is redirected, credentials unread, to allauth's
page, keeping a safe `next`. tests/accounts/test_sign_in_doors.py walks the URL resolver for every view that
accepts a password and fails if any signs a privileged person in without the second factor.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def to_allauth(url_name: str):
    def view(request, *args, **kwargs):
        target = reverse(url_name)
        next_url = request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            target = f"{target}?{urlencode({'next': next_url})}"
        return HttpResponseRedirect(target)

    view.__name__ = f"to_{url_name}"
    return view
