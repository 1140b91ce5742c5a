"""The links between the stage work and the money ledger turn round (issue #19): an engagement points at its
contract and a milestone at its tranche, instead of the ledger pointing up at the stage work. Every existing link
is copied across before ledger.0002 drops the old columns."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    Contract = apps.get_model("ledger", "Contract")
    Payment = apps.get_model("ledger", "Payment")
    Engagement = apps.get_model("sprints", "Engagement")
    Milestone = apps.get_model("sprints", "Milestone")
    for contract_id, engagement_id in Contract.objects.filter(old_engagement__isnull=False).values_list(
        "pk", "old_engagement_id"
    ):
        Engagement.objects.filter(pk=engagement_id).update(contract_id=contract_id)
    for payment_id, milestone_id in Payment.objects.filter(old_milestone__isnull=False).values_list(
        "pk", "old_milestone_id"
    ):
        Milestone.objects.filter(pk=milestone_id).update(payment_id=payment_id)


def copy_links_back(apps, schema_editor):
    Contract = apps.get_model("ledger", "Contract")
    Payment = apps.get_model("ledger", "Payment")
    Engagement = apps.get_model("sprints", "Engagement")
    Milestone = apps.get_model("sprints", "Milestone")
    for engagement_id, contract_id in Engagement.objects.filter(contract__isnull=False).values_list("pk", "contract_id"):
        Contract.objects.filter(pk=contract_id).update(old_engagement_id=engagement_id)
    for milestone_id, payment_id in Milestone.objects.filter(payment__isnull=False).values_list("pk", "payment_id"):
        Payment.objects.filter(pk=payment_id).update(old_milestone_id=milestone_id)


class Migration(migrations.Migration):
    dependencies = [("sprints", "0001_initial"), ("ledger", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="engagement",
            name="contract",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="engagement", to="ledger.contract"),
        ),
        migrations.AddField(
            model_name="milestone",
            name="payment",
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="milestone", to="ledger.payment"),
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
