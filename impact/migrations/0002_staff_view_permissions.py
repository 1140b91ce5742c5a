from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("impact")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    staff = Group.objects.get(name="Programme staff")
    # Staff read (and export) money and impact records in the admin; every change goes through the services.
    codenames = [
        "view_contract", "view_payment", "view_variation", "view_impactreturn", "view_impactreturncorrection",
        "view_benefit", "view_assumptions",
    ]  # fmt: skip
    staff.permissions.add(*Permission.objects.filter(content_type__app_label="impact", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("impact", "0001_initial"), ("accounts", "0002_role_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
