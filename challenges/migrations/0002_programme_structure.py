"""The structure a fresh install needs: /challenges/, its two-step approval workflow, sponsor rights."""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, 4 characters per level


def _path_segment(n: int) -> str:
    digits = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        digits = ALPHABET[r] + digits
    return digits


def create_structure(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    challenges_app = apps.get_app_config("challenges")
    challenges_app.models_module = True
    create_permissions(challenges_app, apps=apps, verbosity=0)
    challenges_app.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    ChallengeIndexPage = apps.get_model("challenges", "ChallengeIndexPage")

    home = Page.objects.filter(depth=2, slug="home").first()
    if home is None or ChallengeIndexPage.objects.exists():
        return
    children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path")
    last = children.values_list("path", flat=True).first()
    n = int(last[-4:], 36) + 1 if last else 1
    index = ChallengeIndexPage.objects.create(
        title="Challenges",
        draft_title="Challenges",
        slug="challenges",
        content_type=ContentType.objects.get_for_model(ChallengeIndexPage),
        locale_id=home.locale_id,
        path=home.path + _path_segment(n),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}challenges/",
        intro="Problems public bodies across Scotland want solved. Find one that fits what you do.",
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)

    # Two-step approval: the sponsor's own administrator signs off, then programme staff approve.
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    SponsorSignOffTask = apps.get_model("challenges", "SponsorSignOffTask")
    staff = Group.objects.get(name="Programme staff")
    sign_off = SponsorSignOffTask.objects.create(
        name="Sponsor sign-off", content_type=ContentType.objects.get_for_model(SponsorSignOffTask)
    )
    approval = GroupApprovalTask.objects.create(
        name="Programme approval", content_type=ContentType.objects.get_for_model(GroupApprovalTask)
    )
    approval.groups.add(staff)
    workflow = Workflow.objects.create(name="Challenge approval")
    WorkflowTask.objects.create(workflow=workflow, task_id=sign_off.pk, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task_id=approval.pk, sort_order=1)
    WorkflowPage.objects.create(workflow=workflow, page_id=index.pk)

    # Sponsors use the Wagtail admin to write challenges (page rights come per organisation).
    sponsor = Group.objects.get(name="Sponsor")
    for app_label, codename in [
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ]:
        sponsor.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    for model in ["round", "sector", "clarification", "alertsubscription"]:
        for action in ["add", "change", "view"]:
            permission = Permission.objects.filter(content_type__app_label="challenges", codename=f"{action}_{model}")
            staff.permissions.add(*permission)


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_structure, migrations.RunPython.noop)]
