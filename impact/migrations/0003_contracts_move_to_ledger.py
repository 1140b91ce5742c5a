"""Contracts, variations and payments now belong to the ledger app (ledger.0001): state only, no row touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("impact", "0002_staff_view_permissions"), ("ledger", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Payment"),
                migrations.DeleteModel(name="Variation"),
                migrations.DeleteModel(name="Contract"),
            ],
            database_operations=[],
        )
    ]
