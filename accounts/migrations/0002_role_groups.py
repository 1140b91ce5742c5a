from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_GROUPS = ["Programme staff", "Sponsor", "Assessor", "Applicant"]

# What programme staff may do in the Wagtail admin. Sponsors and assessors work on the public site
# (sponsors join the admin with challenge authoring).
STAFF_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("organisations", "add_organisation"),
    ("organisations", "change_organisation"),
    ("organisations", "view_organisation"),
    ("notifications", "view_outboundemail"),
    ("cms", "change_sitesettings"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure the ones we grant exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    staff = Group.objects.get(name="Programme staff")
    for app_label, codename in STAFF_PERMISSIONS:
        staff.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    root = apps.get_model("wagtailcore", "Page").objects.get(depth=1)
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=staff, page=root, permission=permission)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("organisations", "0001_initial"),
        ("notifications", "0001_initial"),
        ("cms", "0002_create_homepage"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
