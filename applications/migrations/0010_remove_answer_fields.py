import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The six answer fields go (their text is in `answers` since 0009); every application and version now names
    its form version."""

    dependencies = [("applications", "0009_answers_from_fields")]

    operations = [
        *(
            migrations.RemoveField(model_name="application", name=name)
            for name in ["commercial", "commitment", "equality_sustainability", "idea", "innovation", "team"]
        ),
        migrations.AlterField(
            model_name="application",
            name="form_version",
            field=models.ForeignKey(
                help_text="The questions being answered.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="formbuilder.formversion",
            ),
        ),
        migrations.AlterField(
            model_name="applicationversion",
            name="form_version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="submitted_versions",
                to="formbuilder.formversion",
            ),
        ),
        migrations.AlterField(
            model_name="applicationversion",
            name="questions",
            field=models.JSONField(help_text="The exact questions answered (formbuilder.questions.FormSpec data)."),
        ),
    ]
