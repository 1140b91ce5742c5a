"""The money ledger takes over impact's contracts, variations and payments (issue #19): state only.

The tables stay where they are (`impact_contract`, `impact_variation`, `impact_payment`) with every row; this
migration only tells Django that they now belong to `ledger`. The old links to the stage work are kept in the
state as `old_engagement` and `old_milestone` (the same columns) so that sprints.0002 can copy them into the
turned foreign keys; ledger.0002 then drops them and renames the tables.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_types(apps, schema_editor):
    # The audit log (ModelLogEntry) and staff's view permissions point at these content types: move them, so every
    # history entry and permission follows its model instead of being orphaned.
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("contract", "variation", "payment"):
        if not ContentType.objects.filter(app_label="ledger", model=model).exists():
            ContentType.objects.filter(app_label="impact", model=model).update(app_label="ledger")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="ledger", model__in=["contract", "variation", "payment"]).update(
        app_label="impact"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("challenges", "0004_impact_returns"),
        ("organisations", "0003_profile_address_sectors"),
        ("sprints", "0001_initial"),
        ("impact", "0002_staff_view_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Contract",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("exploration", "Exploration stage"), ("accelerator", "Accelerator"), ("follow_on", "Follow-on with the sponsor"), ("reuse", "With another public body (reuse)"), ("private", "Private contract")], db_index=True, max_length=12)),
                        ("buyer_name", models.CharField(blank=True, help_text="For private buyers not on the platform.", max_length=200)),
                        ("title", models.CharField(max_length=255)),
                        ("value", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="value when awarded (£, ex VAT)")),
                        ("current_value", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="contracted value (£, ex VAT)")),
                        ("starts_on", models.DateField()),
                        ("ends_on", models.DateField()),
                        ("awarded_on", models.DateField()),
                        ("status", models.CharField(choices=[("active", "Active"), ("completed", "Completed"), ("terminated", "Terminated early")], db_index=True, default="active", max_length=10)),
                        ("evidence", models.TextField(blank=True, help_text="For follow-on contracts: how we know (notice, letter).")),
                        ("verified_at", models.DateTimeField(blank=True, null=True)),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        ("buyer", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="contracts_bought", to="organisations.organisation")),
                        ("challenge", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="contracts", to="challenges.challengepage")),
                        ("old_engagement", models.OneToOneField(blank=True, db_column="engagement_id", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="sprints.engagement")),
                        ("recorded_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("supplier", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="contracts_won", to="organisations.organisation")),
                        ("verified_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["-awarded_on", "pk"],
                        "db_table": "impact_contract",
                        "indexes": [models.Index(fields=["kind", "verified_at"], name="impact_cont_kind_1ae4a6_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="Variation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="change (£, ex VAT)")),
                        ("reason", models.TextField()),
                        ("approved_at", models.DateTimeField(auto_now_add=True)),
                        ("approved_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("contract", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="variations", to="ledger.contract")),
                    ],
                    options={"ordering": ["contract", "approved_at"], "db_table": "impact_variation"},
                ),
                migrations.CreateModel(
                    name="Payment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("number", models.PositiveSmallIntegerField()),
                        ("description", models.CharField(max_length=200)),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount (£, ex VAT)")),
                        ("due_on", models.DateField()),
                        ("status", models.CharField(choices=[("planned", "Planned"), ("due", "Due"), ("paid", "Paid")], db_index=True, default="planned", max_length=8)),
                        ("became_due_at", models.DateTimeField(blank=True, null=True)),
                        ("paid_on", models.DateField(blank=True, null=True)),
                        ("contract", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="payments", to="ledger.contract")),
                        ("old_milestone", models.OneToOneField(blank=True, db_column="milestone_id", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="sprints.milestone")),
                    ],
                    options={
                        "ordering": ["contract", "number"],
                        "db_table": "impact_payment",
                        "constraints": [
                            models.UniqueConstraint(fields=("contract", "number"), name="unique_payment_number"),
                            models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="payment_amount_positive"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, restore_content_types),
    ]
