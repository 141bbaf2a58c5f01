"""
Admin history entries written before petitions/admin_history.py named a signature by its
signer's name (and an endorsement by its organisation): each now says "Signature #123" or
"Endorsement #45", as new entries do, so an erased person's name is gone from the history too.
"""

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat

# Frozen here, as petitions/admin_history.py's DESCRIBED_BY_NUMBER was when this was written.
DESCRIBED_BY_NUMBER = {"signature": "Signature", "endorsement": "Endorsement"}


def name_by_number(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    using = schema_editor.connection.alias
    for model_name, described_as in DESCRIBED_BY_NUMBER.items():
        content_type = (
            ContentType.objects.using(using)
            .filter(app_label="petitions", model=model_name)
            .first()
        )
        if content_type is not None:
            LogEntry.objects.using(using).filter(content_type_id=content_type.pk).update(
                object_repr=Concat(Value(f"{described_as} #"), "object_id")
            )


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0013_signature_counted_tallies"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The names are gone for good: going back leaves the numbers.
        migrations.RunPython(name_by_number, migrations.RunPython.noop, elidable=True),
    ]
