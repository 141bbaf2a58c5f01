import django.db.models.deletion
from django.db import migrations, models

# The index Django made for the foreign key (its name is derived from the table and column, the
# same on every database). Dropped by hand: AlterField would also drop and re-validate the
# foreign key constraint, a scan of every signature under lock, for a change it does not need.
LONE_INDEX = "petitions_signature_petition_id_5a17fa21"


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0009_daily_tally"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="signature",
                    name="petition",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="signatures",
                        to="petitions.petition",
                        verbose_name="petition",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {LONE_INDEX}",
                    reverse_sql=(
                        f"CREATE INDEX IF NOT EXISTS {LONE_INDEX} "
                        "ON petitions_signature (petition_id)"
                    ),
                ),
            ],
        ),
    ]
