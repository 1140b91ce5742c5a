"""Drop the ledger's old links up to the stage work (copied into sprints.0002) and give the tables the ledger's name."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial"), ("sprints", "0002_contract_and_payment_links")]

    operations = [
        migrations.RemoveField(model_name="contract", name="old_engagement"),
        migrations.RemoveField(model_name="payment", name="old_milestone"),
        migrations.AlterModelTable(name="contract", table=None),
        migrations.AlterModelTable(name="variation", table=None),
        migrations.AlterModelTable(name="payment", table=None),
        migrations.RenameIndex(model_name="contract", new_name="ledger_contract_kind_verified", old_name="impact_cont_kind_1ae4a6_idx"),
    ]
