"""Sponsors may upload and choose documents and images for their challenges.

Wagtail grants file rights per collection (GroupCollectionPermission), not through the group's own permissions, so
the rights the Sponsor group was given in challenges.0002 never took effect. Granting them on the root collection
lets sponsors add files; which files they then see is narrowed to their own organisations' uploads by
accounts.wagtail_hooks (choosers) and accounts.admin_scope (routes that name a file). Adds rows only.
"""

from django.db import migrations

FILE_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    sponsor = Group.objects.filter(name="Sponsor").first()
    root = Collection.objects.filter(depth=1).first()
    if sponsor is None or root is None:
        return
    for app_label, codename in FILE_PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(group=sponsor, collection=root, permission=permission)


def revoke(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(
        group__name="Sponsor", permission__codename__in=[codename for _, codename in FILE_PERMISSIONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("challenges", "0002_programme_structure"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
