"""Every site has its settings row from the start (issue #22).

Wagtail makes a site's settings row on the first page view that reads it, and a new row is public content (the footer
shows it), so that first view superseded every cached public part it had just rendered. Existing sites get their
(empty) row here; a site added later still gets it on its first view. Nothing is removed going back: the rows may
hold what staff have since typed."""

from django.db import migrations


def create(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    SiteSettings = apps.get_model("cms", "SiteSettings")
    for site in Site.objects.all():
        SiteSettings.objects.get_or_create(site=site)


class Migration(migrations.Migration):
    dependencies = [("cms", "0005_news")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
