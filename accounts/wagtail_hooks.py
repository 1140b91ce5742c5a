"""Choosers in the admin show a sponsor only their organisations' files and pages anyone may see (or they edit).

Wagtail's choosers list every document, image and page to anyone with admin access; programme staff keep that.
The routes themselves are limited in accounts.admin_scope; these hooks narrow the lists those routes show.
"""

from django.db.models import Q
from wagtail import hooks
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .admin_scope import own_documents
from .roles import is_programme_staff


@hooks.register("construct_document_chooser_queryset")
def documents_of_own_organisations(documents, request):
    return own_documents(request.user, documents)


@hooks.register("construct_image_chooser_queryset")
def images_of_own_organisations(images, request):
    return own_documents(request.user, images)


@hooks.register("construct_page_chooser_queryset")
def public_or_own_pages(pages, request):
    """Links in a problem statement point at pages anyone may read, or at the sponsor's own drafts."""
    user = request.user
    if is_programme_staff(user):
        return pages
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    return pages.filter(Q(pk__in=Page.objects.live().public().values("pk")) | Q(pk__in=editable.values("pk")))
