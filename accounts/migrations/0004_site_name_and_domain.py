"""The django.contrib.sites row names this service (SERVICE_NAME) at the host of SITE_URL, not "example.com".

Run with the settings of the environment being migrated. It updates the row SITE_ID points at (or creates it,
as Django's own post-migrate step would, moving the id sequence on), and never deletes a row. Account emails do
not depend on it: accounts.adapters names the site from the settings.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations


def name_the_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    db = schema_editor.connection.alias
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    if Site.objects.using(db).exclude(pk=settings.SITE_ID).filter(domain=domain).exists():
        return  # another row already holds that domain: leave both as they are
    _, created = Site.objects.using(db).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SERVICE_NAME}
    )
    if created:  # an explicit id: move the sequence past it, as django.contrib.sites does
        sequence_sql = schema_editor.connection.ops.sequence_reset_sql(no_style(), [Site])
        with schema_editor.connection.cursor() as cursor:
            for sql in sequence_sql:
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_sponsor_file_permissions"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, migrations.RunPython.noop)]
