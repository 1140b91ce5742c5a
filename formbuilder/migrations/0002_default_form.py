"""The default application form (CivTech's six sections and three declarations, as they were fields of
Application), its first version, and programme staff's permissions to build forms.

The form is written out here, not imported: a migration must not change when the code does."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

NAME = "CivTech application form"
QUESTIONS = {
    "sections": [
        {
            "key": "idea",
            "title": "Your idea and how it solves the challenge",
            "guidance": "",
            "questions": [
                {
                    "key": "idea",
                    "type": "long_text",
                    "label": "Your idea and how it solves the challenge",
                    "help_text": "Describe what you would build and how it meets the needs set out in "
                    "the problem statement.",
                    "required": True,
                    "word_limit": 500,
                }
            ],
        },
        {
            "key": "innovation",
            "title": "What is innovative about it",
            "guidance": "",
            "questions": [
                {
                    "key": "innovation",
                    "type": "long_text",
                    "label": "What is innovative about it",
                    "help_text": "What is new here, compared with what the public sector does or can buy today?",
                    "required": True,
                    "word_limit": 300,
                }
            ],
        },
        {
            "key": "commercial",
            "title": "Commercial potential and route to market",
            "guidance": "",
            "questions": [
                {
                    "key": "commercial",
                    "type": "long_text",
                    "label": "Commercial potential and route to market",
                    "help_text": "Who else could use it, how you would sell it, and how it would be "
                    "sustained after the programme.",
                    "required": True,
                    "word_limit": 400,
                }
            ],
        },
        {
            "key": "team",
            "title": "Your team and its experience",
            "guidance": "",
            "questions": [
                {
                    "key": "team",
                    "type": "long_text",
                    "label": "Your team and its experience",
                    "help_text": "Who would do the work and what they have done before.",
                    "required": True,
                    "word_limit": 300,
                }
            ],
        },
        {
            "key": "commitment",
            "title": "Commitment to the stage dates",
            "guidance": "",
            "questions": [
                {
                    "key": "commitment",
                    "type": "long_text",
                    "label": "Commitment to the stage dates",
                    "help_text": "Confirm you can take part on the round's dates, and say how you would "
                    "staff each stage.",
                    "required": True,
                    "word_limit": 200,
                }
            ],
        },
        {
            "key": "equality_sustainability",
            "title": "Equality, diversity and environmental sustainability",
            "guidance": "",
            "questions": [
                {
                    "key": "equality_sustainability",
                    "type": "long_text",
                    "label": "Equality, diversity and environmental sustainability",
                    "help_text": "How your team and product promote equality and diversity and reduce "
                    "environmental harm.",
                    "required": True,
                    "word_limit": 300,
                }
            ],
        },
    ],
    "declarations": [
        {"key": "declare_eligible", "label": "We are eligible to apply: we can contract with a Scottish public body."},
        {
            "key": "declare_no_conflict",
            "label": "We have declared any conflict of interest with the sponsor or the CivTech team.",
        },
        {"key": "declare_terms", "label": "We accept the programme's terms and conditions and privacy notice."},
    ],
}
STREAM = [
    {
        "type": "section",
        "value": {
            "title": "Your idea and how it solves the challenge",
            "key": "idea",
            "guidance": "",
            "show_if": {"question": "", "equals": ""},
            "questions": [
                {
                    "type": "long_text",
                    "value": {
                        "label": "Your idea and how it solves the challenge",
                        "key": "idea",
                        "help_text": "Describe what you would build and how it meets the needs set "
                        "out in the problem statement.",
                        "required": True,
                        "show_if": {"question": "", "equals": ""},
                        "word_limit": 500,
                    },
                }
            ],
        },
    },
    {
        "type": "section",
        "value": {
            "title": "What is innovative about it",
            "key": "innovation",
            "guidance": "",
            "show_if": {"question": "", "equals": ""},
            "questions": [
                {
                    "type": "long_text",
                    "value": {
                        "label": "What is innovative about it",
                        "key": "innovation",
                        "help_text": "What is new here, compared with what the public sector does or can buy today?",
                        "required": True,
                        "show_if": {"question": "", "equals": ""},
                        "word_limit": 300,
                    },
                }
            ],
        },
    },
    {
        "type": "section",
        "value": {
            "title": "Commercial potential and route to market",
            "key": "commercial",
            "guidance": "",
            "show_if": {"question": "", "equals": ""},
            "questions": [
                {
                    "type": "long_text",
                    "value": {
                        "label": "Commercial potential and route to market",
                        "key": "commercial",
                        "help_text": "Who else could use it, how you would sell it, and how it would "
                        "be sustained after the programme.",
                        "required": True,
                        "show_if": {"question": "", "equals": ""},
                        "word_limit": 400,
                    },
                }
            ],
        },
    },
    {
        "type": "section",
        "value": {
            "title": "Your team and its experience",
            "key": "team",
            "guidance": "",
            "show_if": {"question": "", "equals": ""},
            "questions": [
                {
                    "type": "long_text",
                    "value": {
                        "label": "Your team and its experience",
                        "key": "team",
                        "help_text": "Who would do the work and what they have done before.",
                        "required": True,
                        "show_if": {"question": "", "equals": ""},
                        "word_limit": 300,
                    },
                }
            ],
        },
    },
    {
        "type": "section",
        "value": {
            "title": "Commitment to the stage dates",
            "key": "commitment",
            "guidance": "",
            "show_if": {"question": "", "equals": ""},
            "questions": [
                {
                    "type": "long_text",
                    "value": {
                        "label": "Commitment to the stage dates",
                        "key": "commitment",
                        "help_text": "Confirm you can take part on the round's dates, and say how you "
                        "would staff each stage.",
                        "required": True,
                        "show_if": {"question": "", "equals": ""},
                        "word_limit": 200,
                    },
                }
            ],
        },
    },
    {
        "type": "section",
        "value": {
            "title": "Equality, diversity and environmental sustainability",
            "key": "equality_sustainability",
            "guidance": "",
            "show_if": {"question": "", "equals": ""},
            "questions": [
                {
                    "type": "long_text",
                    "value": {
                        "label": "Equality, diversity and environmental sustainability",
                        "key": "equality_sustainability",
                        "help_text": "How your team and product promote equality and diversity and "
                        "reduce environmental harm.",
                        "required": True,
                        "show_if": {"question": "", "equals": ""},
                        "word_limit": 300,
                    },
                }
            ],
        },
    },
    {
        "type": "declaration",
        "value": {
            "label": "We are eligible to apply: we can contract with a Scottish public body.",
            "key": "declare_eligible",
        },
    },
    {
        "type": "declaration",
        "value": {
            "label": "We have declared any conflict of interest with the sponsor or the CivTech team.",
            "key": "declare_no_conflict",
        },
    },
    {
        "type": "declaration",
        "value": {
            "label": "We accept the programme's terms and conditions and privacy notice.",
            "key": "declare_terms",
        },
    },
]


def forward(apps, schema_editor):
    ApplicationForm = apps.get_model("formbuilder", "ApplicationForm")
    FormVersion = apps.get_model("formbuilder", "FormVersion")
    form = ApplicationForm.objects.create(
        name=NAME,
        description="The form every round uses unless it has its own.",
        content=STREAM,
        is_default=True,
    )
    FormVersion.objects.create(form=form, number=1, questions=QUESTIONS)

    app_config = apps.get_app_config("formbuilder")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Staff build forms; versions are made by saving a form, never edited directly.
    codenames = ["add_applicationform", "change_applicationform", "view_applicationform", "view_formversion"]
    Group.objects.get(name="Programme staff").permissions.add(
        *Permission.objects.filter(content_type__app_label="formbuilder", codename__in=codenames)
    )


def backward(apps, schema_editor):
    ApplicationForm = apps.get_model("formbuilder", "ApplicationForm")
    FormVersion = apps.get_model("formbuilder", "FormVersion")
    FormVersion.objects.filter(form__is_default=True).delete()
    ApplicationForm.objects.filter(is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [("formbuilder", "0001_initial"), ("accounts", "0002_role_groups")]
    operations = [migrations.RunPython(forward, backward)]
