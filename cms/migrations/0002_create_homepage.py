from django.db import migrations

HERO_TEXT = (
    "Public bodies publish the problems they cannot solve alone. Innovative companies explore them, "
    "and the best ideas are funded to become products the whole public sector can use."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")

    # Replace Wagtail's "Welcome to your new Wagtail site!" placeholder with our home page.
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = apps.get_model("wagtailcore.Locale").objects.order_by("pk").first()
    home = HomePage.objects.create(
        title="CivTech",
        draft_title="CivTech",
        slug="home",
        content_type=content_type,
        locale=locale,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        hero_title="Solve public sector challenges with innovation",
        hero_text=HERO_TEXT,
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page_id": home.id, "site_name": "CivTech"}
    )
    Page.objects.filter(depth=1).update(numchild=1)


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(create_homepage, remove_homepage)]
