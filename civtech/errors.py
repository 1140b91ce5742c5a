from functools import wraps
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:  # the mixin is mixed into a class-based view, whose `as_view` it wraps
    from django.views import View as _MixedIntoView
else:
    _MixedIntoView = object


class DomainError(Exception):
    """A business rule said no. `message` is written for the person who tried, not for developers."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def require(result: tuple[bool, str]) -> None:
    """Turn a refused `(allowed, reason)` into Django's PermissionDenied with the reason."""
    allowed, reason = result
    if not allowed:
        raise PermissionDenied(reason)


def add_to_form(form, error: DomainError) -> None:
    """Show a refused rule on `form`: under `error.field` if the form has that field, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def back_url(request, fallback: str) -> str:
    """The page the person came from when it is on this site and is not this page, else `fallback`."""
    referer = request.headers.get("referer", "")
    on_this_site = url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
    if referer and on_this_site and urlsplit(referer).path != request.path:
        return referer
    return fallback


class AdminRefusalMixin(_MixedIntoView):
    """For our views inside the Wagtail admin: a refused rule says its own reason there.

    Wagtail answers any PermissionDenied inside the admin with "Sorry, you do not have permission to access this
    area". A PermissionDenied with a reason (from `require`) is shown instead as that reason, back on the page the
    person came from (else the admin's home). It wraps the whole view, so the refusal may come from `setup`,
    any `dispatch` in the class's bases, or a service.
    """

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)

        @wraps(view)
        def shows_refusals(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as refusal:
                if not str(refusal) or request.headers.get("x-requested-with") == "XMLHttpRequest":
                    raise
                messages.error(request, str(refusal))
                return redirect(back_url(request, reverse("wagtailadmin_home")))

        return shows_refusals


def require_type(value, what: str, *types: type) -> None:
    """Services take typed values (what people type is read by the forms, civtech.fields): a value of another type,
    text above all, is a programming error, not a message for the user. None passes: the service says what is
    missing. A bool is accepted only where bool is one of `types` (it is an int to isinstance)."""
    if value is None:
        return
    if isinstance(value, bool) is not (bool in types) or not isinstance(value, types):
        names = " or ".join(t.__name__ for t in types)
        raise TypeError(f"{what} must be {names}, not {type(value).__name__}: read text with a form first")
