"""The admin sidebar kept per person (civtech/templatetags/wagtailadmin_sidebar.py, issue #22): it must be exactly
what Wagtail's own `{% sidebar_props %}` gives for that person at that moment, after every change that can alter it
(groups joined or left either way, a group's permissions, page permissions, the person's name), and cost no query
while nothing has changed."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.users.models import UserProfile

from accounts.models import User
from civtech.templatetags.wagtailadmin_sidebar import sidebar_props
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


def context_for(user) -> dict:
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=user.pk)  # a fresh person each time, as each request loads them
    return {"request": request}


def both(user) -> tuple[str, str]:
    """(ours, Wagtail's) for this person now."""
    return sidebar_props(context_for(user)), wagtailadmin_tags.sidebar_props(context_for(user))


def test_the_cached_sidebar_is_wagtails_after_every_change_that_alters_it():
    person = UserFactory(is_staff=True)
    editors = Group.objects.create(name="Challenge editors")
    ours, wagtails = both(person)
    assert ours == wagtails
    assert '"Pages"' not in ours

    person.groups.add(editors)  # joined a group (from the person's side)
    GroupPagePermission.objects.create(group=editors, page=Page.objects.get(depth=1), permission_type="change")
    ours, wagtails = both(person)
    assert ours == wagtails and '"Pages"' in ours

    editors.permissions.add(Permission.objects.get(codename="access_admin"))  # the group's permissions
    ours, wagtails = both(person)
    assert ours == wagtails
    GroupCollectionPermission.objects.create(  # a collection permission: images may be added
        group=editors,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="add_image"),
    )
    ours, wagtails = both(person)
    assert ours == wagtails and '"Images"' in ours

    editors.user_set.remove(person)  # left it (from the group's side)
    ours, wagtails = both(person)
    assert ours == wagtails and '"Pages"' not in ours and '"Images"' not in ours

    person.groups.add(editors)
    assert both(person)[0] == both(person)[1]
    editors.user_set.clear()
    ours, wagtails = both(person)
    assert ours == wagtails and '"Pages"' not in ours

    person.first_name, person.last_name = "Morag", "Renamed"
    person.save()
    ours, wagtails = both(person)
    assert ours == wagtails and '"name": "Morag"' in ours


def test_another_persons_changes_leave_a_sidebar_in_place_and_it_costs_no_query():
    staff = staff_user()
    elsewhere = Group.objects.create(name="Elsewhere")
    sidebar_props(context_for(staff))
    UserFactory().groups.add(elsewhere)  # someone else joins a group

    context = context_for(staff)
    context["request"].user.wagtail_userprofile = UserProfile.get_for_user(staff)  # every admin page has loaded it
    with CaptureQueriesContext(connection) as queries:
        ours = sidebar_props(context)
    assert len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert ours == wagtailadmin_tags.sidebar_props(context_for(staff)) and '"Portfolio"' in ours


def test_the_admin_pages_use_the_cached_sidebar(client, monkeypatch):
    built = []
    wagtails = wagtailadmin_tags.sidebar_props
    monkeypatch.setattr(wagtailadmin_tags, "sidebar_props", lambda context: built.append(1) or wagtails(context))
    client.force_login(staff_user())

    first = client.get("/admin/snippets/applications/application/")
    second = client.get("/admin/snippets/applications/score/")

    assert first.status_code == second.status_code == 200
    assert len(built) == 1  # Wagtail built it for the first page; the second had it from the cache
    assert 'id="wagtail-sidebar-props"' in second.content.decode()


def test_wagtails_library_name_is_the_only_one_given_to_two_modules():
    """templates.W003 is silenced in settings for this one deliberate case; any other shared name is still refused."""
    from django.template import engines

    shared = [message.msg for message in engines["django"].check() if message.id == "templates.W003"]
    assert len(shared) == 1 and "'wagtailadmin_tags' is used for multiple" in shared[0], shared
