"""PartnershipRole moves to the register app (roles in a partnership sit with the partnership); the table is kept
and renamed by register's 0002, so no row is copied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PartnershipRole")],
            database_operations=[],
        ),
    ]
