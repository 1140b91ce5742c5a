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
    # Staff read and export scores, moderations and decisions; every change goes through the services.
    codenames = ["view_score", "view_assignment", "view_moderation", "view_decision"]
    staff.permissions.add(*Permission.objects.filter(content_type__app_label="applications", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_evaluation")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
