"""Every application's six answers move, word for word, into `answers` keyed by the same names, on version 1 of
the default form (formbuilder 0002), which holds exactly the six sections they answered; every submitted version
records that form version and its questions. Backwards, the answers go back into the six fields.
`tests/test_seed_demo.py::test_the_form_migrations_keep_every_answer_word_for_word_both_ways` proves nothing is lost either way on the demo data."""

from django.db import migrations

KEYS = ["idea", "innovation", "commercial", "team", "commitment", "equality_sustainability"]


def forward(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    ApplicationVersion = apps.get_model("applications", "ApplicationVersion")
    FormVersion = apps.get_model("formbuilder", "FormVersion")
    default = FormVersion.objects.get(form__is_default=True, number=1)
    for application in Application.objects.only("pk", *KEYS).iterator(chunk_size=500):
        Application.objects.filter(pk=application.pk).update(
            answers={key: getattr(application, key) for key in KEYS}, form_version=default
        )
    ApplicationVersion.objects.update(form_version=default, questions=default.questions)


def backward(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    if Application.objects.exclude(form_version__form__is_default=True, form_version__number=1).exists():
        raise RuntimeError(
            "Applications answer forms other than the default form's first version: their answers have no field to "
            "go back to."
        )
    for application in Application.objects.only("pk", "answers").iterator(chunk_size=500):
        Application.objects.filter(pk=application.pk).update(
            **{key: str(application.answers.get(key) or "") for key in KEYS}
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0008_form_answers")]
    operations = [migrations.RunPython(forward, backward)]
