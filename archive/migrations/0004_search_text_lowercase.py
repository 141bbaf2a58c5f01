"""
Statement.search_text stored in lower case, matched with a plain LIKE.

0003 matched `UPPER(search_text) LIKE UPPER(…)`: upper-casing every row's folded text made a
search that the planner answers by scanning (any search at a thousand statements) cost about
three times a plain LIKE (EXPLAIN ANALYZE: 23 ms against 8 ms for 1,000 rows; the archive
page's count and first page, bench/archive_search.py: medians 43-52 ms before, 18-22 ms after). The stored copy is now
folded and lower-cased once, on save, and the trigram index is over the column itself.

Frozen copies of the fold, as in 0003: the live code may change, this migration must not.
"""

import opencc
from django.db import migrations

FOLD_CONFIG = "t2s"
INDEX = "statement_search_text_trgm_idx"
LOWER_INDEX = f"CREATE INDEX {INDEX} ON archive_statement USING gin (search_text gin_trgm_ops)"
UPPER_INDEX = f"CREATE INDEX {INDEX} ON archive_statement USING gin (UPPER(search_text) gin_trgm_ops)"


def _refill(apps, lower: bool) -> None:
    converter = opencc.OpenCC(FOLD_CONFIG)
    Statement = apps.get_model("archive", "Statement")
    for statement in Statement.objects.only("title", "summary", "body").iterator():
        text = converter.convert("\n".join((statement.title, statement.summary, statement.body)))
        statement.search_text = text.lower() if lower else text
        statement.save(update_fields=["search_text"])


def _reindex(schema_editor, create: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(create)


def fill_search_text(apps, schema_editor):
    _refill(apps, lower=True)
    if schema_editor is not None:
        _reindex(schema_editor, LOWER_INDEX)


def restore_upper_case(apps, schema_editor):
    _refill(apps, lower=False)
    _reindex(schema_editor, UPPER_INDEX)


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_statement_search_text")]

    operations = [migrations.RunPython(fill_search_text, restore_upper_case)]
