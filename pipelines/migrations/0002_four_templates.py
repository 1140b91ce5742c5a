"""The four templates a round can start from (issue #21). Data, not code: staff may edit them or add their own."""

from django.db import migrations

TEMPLATES = [
    {
        "name": "CivTech round",
        "slug": "civtech-round",
        "description": "CivTech's main round: a call, shortlisting, interviews, a paid exploration stage for three "
        "teams, accelerator pitches, a paid accelerator for one team and Demo Day.",
        "stages": [
            {"kind": "call", "name": "Call for applications", "start_day": 0, "days": 28, "questions_close_day": 21},
            {"kind": "assessment", "name": "Shortlisting", "start_day": 28, "days": 7, "teams": 6},
            {"kind": "interview", "name": "Interviews", "start_day": 42, "days": 7, "teams": 3},
            {"kind": "paid", "name": "Exploration", "start_day": 56, "days": 21, "teams": 3, "payment": "5000",
             "payment_basis": "per_team", "tranches": 1,
             "deliverables": "A report on the problem, the users and a proposed solution."},
            {"kind": "selection", "name": "Accelerator pitches", "start_day": 77, "teams": 1, "method": "pitch"},
            {"kind": "paid", "name": "Accelerator", "start_day": 91, "days": 105, "teams": 1, "payment": "350000",
             "payment_basis": "maximum", "tranches": 4, "sprint_weeks": 2,
             "deliverables": "A working prototype, tested with its users."},
            {"kind": "showcase", "name": "Demo Day", "start_day": 196},
        ],
    },
    {
        "name": "CivTech sprint challenge",
        "slug": "civtech-sprint-challenge",
        "description": "A short challenge with a single paid sprint: a call, assessment, one paid sprint and a "
        "showcase.",
        "stages": [
            {"kind": "call", "name": "Call for applications", "start_day": 0, "days": 21, "questions_close_day": 14},
            {"kind": "assessment", "name": "Assessment", "start_day": 21, "days": 7, "teams": 3},
            {"kind": "paid", "name": "Sprint", "start_day": 35, "days": 42, "teams": 1, "payment": "25000",
             "payment_basis": "per_team", "tranches": 2, "sprint_weeks": 2,
             "deliverables": "A working service in use by the sponsor."},
            {"kind": "showcase", "name": "Showcase", "start_day": 84},
        ],
    },
    {
        "name": "SBRI two-phase",
        "slug": "sbri-two-phase",
        "description": "A Small Business Research Initiative competition: a call, assessment, a paid feasibility "
        "phase, a second application assessed for a paid prototype phase.",
        "stages": [
            {"kind": "call", "name": "Competition open", "start_day": 0, "days": 42, "questions_close_day": 35},
            {"kind": "assessment", "name": "Assessment", "start_day": 42, "days": 14, "teams": 5},
            {"kind": "paid", "name": "Feasibility", "start_day": 70, "days": 91, "teams": 5, "payment": "60000",
             "payment_basis": "maximum", "tranches": 2,
             "deliverables": "A feasibility report and a plan for the prototype."},
            {"kind": "selection", "name": "Phase 2 application", "start_day": 161, "days": 28, "teams": 2,
             "method": "second_application"},
            {"kind": "paid", "name": "Prototype", "start_day": 196, "days": 273, "teams": 2, "payment": "500000",
             "payment_basis": "maximum", "tranches": 4, "deliverables": "A prototype tested in the public body."},
        ],
    },
    {
        "name": "Challenge prize",
        "slug": "challenge-prize",
        "description": "A prize: a call, assessment of the entries and an award to the winner.",
        "stages": [
            {"kind": "call", "name": "Entries open", "start_day": 0, "days": 56, "questions_close_day": 42},
            {"kind": "assessment", "name": "Judging", "start_day": 56, "days": 28, "teams": 5},
            {"kind": "paid", "name": "Award", "start_day": 91, "days": 0, "teams": 1, "payment": "50000",
             "payment_basis": "per_team", "tranches": 1},
        ],
    },
]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    PipelineTemplate = apps.get_model("pipelines", "PipelineTemplate")
    for template in TEMPLATES:
        PipelineTemplate.objects.update_or_create(slug=template["slug"], defaults=template)
    # Programme staff edit the templates and add their own (as they edit rounds); nobody else sees them.
    config = apps.get_app_config("pipelines")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    staff = apps.get_model("auth", "Group").objects.filter(name="Programme staff").first()
    if staff is not None:
        staff.permissions.add(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="pipelines", codename__in=["add_pipelinetemplate", "change_pipelinetemplate",
                                                                   "view_pipelinetemplate"]
            )
        )


def backwards(apps, schema_editor):
    apps.get_model("pipelines", "PipelineTemplate").objects.filter(slug__in=[t["slug"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pipelines", "0001_initial"), ("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
