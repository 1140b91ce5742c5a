from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("cms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.filter(name="Programme staff").first()
    if staff is None:
        return
    # Staff read and export Demo Day registrations; guests register only through the page.
    staff.permissions.add(
        *Permission.objects.filter(content_type__app_label="cms", codename="view_demodayregistration")
    )


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_demo_day"), ("accounts", "0002_role_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
