from django.db import migrations

ROLE_GROUPS = ["Programme staff", "Sponsor", "Assessor", "Applicant"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    # Only programme staff reach the Wagtail admin (for now; sponsors join it with challenge authoring).
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").first()
    if access_admin:
        Group.objects.get(name="Programme staff").permissions.add(access_admin)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
