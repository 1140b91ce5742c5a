"""Least privilege in the Wagtail admin: sponsors reach only what writing their own challenges needs.

Sponsors hold admin access so they can draft and revise their challenges, but Wagtail (and every library that
adds admin views) assumes an admin user is trusted: its snippet choosers, reports, page search and document
chooser list everything to anyone inside. So for anyone in the admin who is not programme staff the admin is
closed by default: a route opens only if it is named in SPONSOR_ROUTES below, and routes that take a document
or image id answer only for files of the person's own organisations. A new snippet, report or library view is
refused to sponsors the day it is added, until someone decides here that they need it.

Wagtail's own page permissions still apply inside the open routes (a sponsor edits only their body's pages);
tests/accounts/test_admin_scope.py walks every admin route as every role to prove the whole.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import Resolver404, resolve

from .roles import is_programme_staff

ADMIN_PREFIX = "/admin/"
REFUSED = "Sponsors use the admin to write and revise their own challenges. This page is for the CivTech team."
NOT_YOURS = "You can open only your own organisation's challenges and files in the admin."

# Wagtail URL names (namespace:name) a sponsor needs to write a challenge, and nothing else.
SPONSOR_ROUTES = frozenset(
    {
        # the admin shell
        "wagtailadmin_home",
        "wagtailadmin_logout",
        "wagtailadmin_account",
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_dismissibles",
        "wagtailadmin_block_preview",
        "accounts:admin_login_door",  # our redirects to allauth's sign-in and password reset (accounts/doors.py)
        "accounts:admin_password_reset_door",
        # their challenges: Wagtail's page permissions decide which pages (their own body's)
        "challenge_pipeline:index",
        "challenge_pipeline:index_results",
        "challenge_pipeline:choose_parent",
        "wagtailadmin_explore_root",
        "wagtailadmin_explore",
        "wagtailadmin_explore_results",
        "wagtailadmin_api:pages:listing",
        "wagtailadmin_api:pages:detail",
        "wagtailadmin_api:pages:find",
        "wagtailadmin_pages:add",
        "wagtailadmin_pages:add_subpage",
        "wagtailadmin_pages:choose_parent",
        "wagtailadmin_pages:preview_on_add",
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:preview_on_edit",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:lock",
        "wagtailadmin_pages:unlock",
        "wagtailadmin_pages:revisions_index",
        "wagtailadmin_pages:revisions_view",
        "wagtailadmin_pages:revisions_compare",
        "wagtailadmin_pages:revisions_revert",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:history_results",
        "wagtailadmin_pages:workflow_action",
        "wagtailadmin_pages:collect_workflow_action_data",
        "wagtailadmin_pages:confirm_workflow_cancellation",
        "wagtailadmin_pages:workflow_preview",
        "wagtailadmin_pages:workflow_history",
        "wagtailadmin_pages:workflow_history_detail",
        "wagtailadmin_editing_sessions:ping",
        "wagtailadmin_editing_sessions:release",
        # links and embeds in the problem statement (the page chooser offers public pages and their own)
        "wagtailadmin_choose_page",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_choose_page_search",
        "wagtailadmin_choose_page_chosen_multiple",
        "wagtailadmin_choose_page_external_link",
        "wagtailadmin_choose_page_email_link",
        "wagtailadmin_choose_page_phone_link",
        "wagtailadmin_choose_page_anchor_link",
        "wagtailembeds:chooser",
        "wagtailembeds:chooser_upload",
        # their documents and images (the choosers and id routes are limited to their organisations' files)
        "wagtaildocs:index",
        "wagtaildocs:index_results",
        "wagtaildocs:add",
        "wagtaildocs:edit",
        "wagtaildocs:add_multiple",
        "wagtaildocs:edit_multiple",
        "wagtaildocs:create_multiple_from_uploaded_document",
        "wagtaildocs:delete_upload_multiple",
        "wagtaildocs_chooser:choose",
        "wagtaildocs_chooser:choose_results",
        "wagtaildocs_chooser:chosen",
        "wagtaildocs_chooser:chosen_multiple",
        "wagtaildocs_chooser:create",
        "wagtailimages:index",
        "wagtailimages:index_results",
        "wagtailimages:add",
        "wagtailimages:edit",
        "wagtailimages:preview",
        "wagtailimages:add_multiple",
        "wagtailimages:edit_multiple",
        "wagtailimages:create_multiple_from_uploaded_image",
        "wagtailimages:delete_upload_multiple",
        "wagtailimages_chooser:choose",
        "wagtailimages_chooser:choose_results",
        "wagtailimages_chooser:chosen",
        "wagtailimages_chooser:chosen_multiple",
        "wagtailimages_chooser:create",
        "wagtailimages_chooser:select_format",
        # the challenge form's round and sector choosers (both public information)
        "wagtailsnippetchoosers_challenges_round:choose",
        "wagtailsnippetchoosers_challenges_round:choose_results",
        "wagtailsnippetchoosers_challenges_round:chosen",
        "wagtailsnippetchoosers_challenges_sector:choose",
        "wagtailsnippetchoosers_challenges_sector:choose_results",
        "wagtailsnippetchoosers_challenges_sector:chosen",
    }
)

# Routes that name a document or image by id in their URL, and the URL argument that holds it.
FILE_ROUTES = {
    "wagtaildocs:edit": ("document", "document_id"),
    "wagtaildocs:edit_multiple": ("document", "doc_id"),
    "wagtaildocs_chooser:chosen": ("document", "pk"),
    "wagtailimages:edit": ("image", "image_id"),
    "wagtailimages:preview": ("image", "image_id"),
    "wagtailimages:edit_multiple": ("image", "image_id"),
    "wagtailimages_chooser:chosen": ("image", "pk"),
    "wagtailimages_chooser:select_format": ("image", "image_id"),
}


def colleagues_filter(user) -> Q:
    """Files uploaded by the person or by a fellow member of one of their organisations."""
    return Q(uploaded_by_user=user) | Q(uploaded_by_user__memberships__organisation__memberships__user=user)


def own_documents(user, queryset):
    if is_programme_staff(user):
        return queryset
    # By id, not by the join itself: the choosers search this queryset, and Wagtail's search can filter only on
    # indexed fields (id is one; the memberships the join goes through are not).
    return queryset.filter(pk__in=queryset.model.objects.filter(colleagues_filter(user)).values("pk"))


def _file_in_scope(user, kind: str, raw_id) -> bool:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    model = get_document_model() if kind == "document" else get_image_model()
    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        return False
    return model.objects.filter(colleagues_filter(user), pk=pk).exists()


def _page_in_scope(user, raw_id) -> bool:
    """A page the person has a permission on, or an ancestor of one (what Wagtail's explorer shows them).

    Wagtail checks page permissions in most page views but not all: its workflow preview, for one, names any page
    by id in its refusal message. So every page route a sponsor may open is held to this first."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    try:
        pk = int(raw_id)
    except (TypeError, ValueError):
        return False
    return PagePermissionPolicy().explorable_instances(user).filter(pk=pk).exists()


PAGE_ARGUMENTS = ("page_id", "parent_page_id", "pk")


def admin_refusal(user, path: str) -> str | None:
    """Why this person may not open this admin path at all, or None (Wagtail's own checks then run as usual)."""
    if is_programme_staff(user):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return REFUSED
    name = match.view_name
    if name not in SPONSOR_ROUTES:
        return REFUSED
    if name in FILE_ROUTES:
        kind, argument = FILE_ROUTES[name]
        return None if _file_in_scope(user, kind, match.kwargs.get(argument)) else NOT_YOURS
    if name.startswith(("wagtailadmin_pages:", "wagtailadmin_api:pages:")):
        page_ids = [match.kwargs[argument] for argument in PAGE_ARGUMENTS if argument in match.kwargs]
        return None if all(_page_in_scope(user, page_id) for page_id in page_ids) else NOT_YOURS
    return None


def admin_route_allowed(user, path: str) -> bool:
    return admin_refusal(user, path) is None


class AdminScopeMiddleware:
    """Refuses (403) every admin route a non-staff person has no need for; see the module's docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(ADMIN_PREFIX)
            and user.is_authenticated
            and user.has_perm("wagtailadmin.access_admin")
        ):
            refusal = admin_refusal(user, request.path_info)
            if refusal:
                raise PermissionDenied(refusal)
        return self.get_response(request)
