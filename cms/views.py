"""The Demo Day page: public facts about the demos, and registration (posted to the page itself)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from civtech.errors import DomainError, add_to_form
from civtech.formats import uk_datetime
from civtech.pages import page_view
from civtech.ratelimit import MESSAGE as RATE_MESSAGE
from civtech.ratelimit import over_limit

from . import selectors, services
from .forms import RegistrationForm


@page_view("cms.demodaypage")
def demo_day(request, page):
    now = timezone.now()
    closed = page.registration_closed_at(now)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    limited = request.method == "POST" and over_limit(request, "demo_day")
    if limited:
        form.is_valid()
        form.add_error(None, RATE_MESSAGE)
    if request.method == "POST" and not limited and form.is_valid():
        try:
            registration = services.demo_day_register(
                event=page, by=request.user if request.user.is_authenticated else None, **form.cleaned_data
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request, f"You are registered for {page.title}. We have emailed a confirmation to {registration.email}."
            )
            return redirect(page.get_url(request) + "#register")
    taken = page.registrations.count() if page.pk else 0
    full = taken >= page.capacity
    # A refused registration (full, or closed in the meantime) still shows the form with what was typed.
    show_form = (not closed and not full) or form.is_bound
    return TemplateResponse(
        request,
        page.get_template(request),
        {
            **page.get_context(request),
            "demos": selectors.demo_day_demos(page.round_id),
            "starts_text": uk_datetime(page.starts_at),
            "ends_text": uk_datetime(page.ends_at),
            "registration_closed": closed,
            "full": full,
            "places_left": max(page.capacity - taken, 0),
            "form": form if show_form else None,
        },
        status=429 if limited else 200,
    )
