"""Wagtail admin views that answer a malformed request with a 500, replaced by ones that refuse it properly.

Found by the admin route walk (tests/accounts/test_admin_scope.py), which posts to every admin route: Wagtail 8's
external link chooser crashes when its URL field is missing from the post (its field calls `.startswith` on None).
Each fix is routed in front of Wagtail's view under the same URL name; drop it when Wagtail fixes the cause.
"""

from wagtail.admin.forms.choosers import ExternalLinkChooserForm, URLOrAbsolutePathField
from wagtail.admin.views.chooser import ExternalLinkView


class _TolerantURLField(URLOrAbsolutePathField):
    def to_python(self, value):
        return super().to_python(value or "")


class _ExternalLinkForm(ExternalLinkChooserForm):
    url = _TolerantURLField(required=True, label="URL")


class TolerantExternalLinkView(ExternalLinkView):
    form_class = _ExternalLinkForm
