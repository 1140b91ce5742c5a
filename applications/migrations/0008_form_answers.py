import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Room for answers keyed by question, and the form version they answer (filled in by 0009)."""

    dependencies = [("applications", "0007_assignment_version"), ("formbuilder", "0002_default_form")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="answers",
            field=models.JSONField(blank=True, default=dict, help_text="What was typed, by question key."),
        ),
        migrations.AddField(
            model_name="application",
            name="form_version",
            field=models.ForeignKey(
                help_text="The questions being answered.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="applications",
                to="formbuilder.formversion",
            ),
        ),
        migrations.AddField(
            model_name="applicationversion",
            name="form_version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="submitted_versions",
                to="formbuilder.formversion",
            ),
        ),
        migrations.AddField(
            model_name="applicationversion",
            name="questions",
            field=models.JSONField(
                default=dict, help_text="The exact questions answered (formbuilder.questions.FormSpec data)."
            ),
        ),
    ]
