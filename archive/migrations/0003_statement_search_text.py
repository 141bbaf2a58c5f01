"""
Statement.search_text: title, summary and body in Simplified script, so a search in either
Chinese script finds text written in either (see archive/search.py), with a trigram index.

Frozen copies of what this needs (the fold and the index), never the live modules: a migration
must build the same schema and data on every database, whatever the live code says later.
"""

import opencc
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.migrations.operations.base import Operation
from django.db.models.functions import Upper

FOLD_CONFIG = "t2s"
SEARCH_TEXT_INDEX = GinIndex(
    OpClass(Upper("search_text"), name="gin_trgm_ops"), name="statement_search_text_trgm_idx"
)

# Search reads the folded copy now: the per-field trigram indexes of 0001 would only slow writes.
OLD_TRIGRAM_FIELDS = ("title", "summary", "body")
DROP_OLD_TRIGRAM_INDEXES = "DROP INDEX IF EXISTS " + ", ".join(
    f"statement_{field}_trgm_idx" for field in OLD_TRIGRAM_FIELDS
)
RESTORE_OLD_TRIGRAM_INDEXES = ";".join(
    f"CREATE INDEX statement_{field}_trgm_idx ON archive_statement "
    f"USING gin (UPPER({field}) gin_trgm_ops)"
    for field in OLD_TRIGRAM_FIELDS
)


def fill_search_text(apps, schema_editor):
    converter = opencc.OpenCC(FOLD_CONFIG)
    Statement = apps.get_model("archive", "Statement")
    for statement in Statement.objects.only("title", "summary", "body").iterator():
        text = "\n".join((statement.title, statement.summary, statement.body))
        statement.search_text = converter.convert(text)
        statement.save(update_fields=["search_text"])


class PostgreSQLOnlyIndex(Operation):
    """Create (and on reversal drop) an index on PostgreSQL; do nothing elsewhere."""

    reversible = True

    def __init__(self, index):
        self.index = index

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.index], {})

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(to_state.apps.get_model(app_label, "Statement"), self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(
                from_state.apps.get_model(app_label, "Statement"), self.index
            )

    def describe(self):
        return f"Create index {self.index.name} on PostgreSQL"


class PostgreSQLOnlySQL(Operation):
    """Run SQL on PostgreSQL (and its reverse on reversal); do nothing elsewhere."""

    reversible = True

    def __init__(self, sql, reverse_sql):
        self.sql, self.reverse_sql = sql, reverse_sql

    def deconstruct(self):
        return (self.__class__.__qualname__, [self.sql, self.reverse_sql], {})

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.sql, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.reverse_sql, params=None)

    def describe(self):
        return "Run SQL on PostgreSQL"


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_campaign_managers_edit_statements"),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        PostgreSQLOnlyIndex(SEARCH_TEXT_INDEX),
        PostgreSQLOnlySQL(DROP_OLD_TRIGRAM_INDEXES, RESTORE_OLD_TRIGRAM_INDEXES),
    ]
