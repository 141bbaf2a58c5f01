from django.db import migrations, models
from django.db.models.functions import Cast, Concat


def give_empty_keys_their_own(apps, schema_editor):
    """
    A name without a letter or digit had an empty key, and every such name became that one
    organisation. At most one row can hold it (the key is unique): it keeps its name and gets
    "#<id>", which no name's key can equal (a key holds only letters and digits), so no later
    name merges into it.
    """
    Organisation = apps.get_model("petitions", "Organisation")
    Organisation.objects.filter(match_key="").update(
        match_key=Concat(models.Value("#"), Cast("pk", models.CharField()))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0014_admin_history_names_signatures_by_number"),
    ]

    operations = [
        migrations.RunPython(give_empty_keys_their_own, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(("match_key", ""), _negated=True),
                name="organisation_match_key_not_empty",
            ),
        ),
    ]
