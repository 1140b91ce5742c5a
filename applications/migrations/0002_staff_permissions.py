from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("applications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.get(name="Programme staff")
    # Staff read applications in the admin; every change goes through the services.
    codenames = ["view_application", "view_applicationversion", "view_attachment"]
    staff.permissions.add(*Permission.objects.filter(content_type__app_label="applications", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial"), ("accounts", "0002_role_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
