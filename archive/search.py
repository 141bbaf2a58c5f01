"""
Searching the archive: English by PostgreSQL full-text search, Chinese by substring.

PostgreSQL's parsers do not split Chinese into words (a full-text search for 聲明 inside
就新安全法的聯署聲明 finds nothing), so every query runs two ways at once:
- full text on the 'english' configuration (stemmed, so "petitions" finds "petition"), ranked
  (title over summary over body), read from `search_document`, a stored generated tsvector
  column with a GIN index. Stored, not an expression index: ranking thousands of matches from
  an expression index re-parses every matching body (seconds at 20,000 statements);
- a case-insensitive substring match, which Django writes as `UPPER(column) LIKE UPPER(…)` and
  which GIN `gin_trgm_ops` indexes over `UPPER(column)` serve (pg_trgm; a query of three
  characters or more uses them, shorter ones scan).
SQLite has neither: there the substring match alone runs, unindexed, which is fine for a laptop.

The column and indexes exist on PostgreSQL only, created by migration 0001 (which holds their
SQL, on the same configuration and fields as here) and kept out of the model: SQLite could not
create them, and Django must never write to a generated column. A later migration that changes
the type of title, summary or body on PostgreSQL must drop `search_document` first and add it
back after (PostgreSQL refuses to alter a column a generated column reads).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
SEARCHED_FIELDS = ("title", "summary", "body")
# Long enough for any real query; a 10,000-character paste is cut rather than parsed.
MAX_QUERY_LENGTH = 200


def clean_query(text: str) -> str:
    """What a search box may hand to the database: no NUL (PostgreSQL refuses it), not huge."""
    return " ".join(text.replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def search(statements: QuerySet, text: str) -> QuerySet:
    """Statements matching `text`, best first on PostgreSQL, newest first on SQLite."""
    text = clean_query(text)
    if not text:
        return statements
    substring = Q()
    for field in SEARCHED_FIELDS:
        substring |= Q(**{f"{field}__icontains": text})
    if connection.vendor != "postgresql":
        return statements.filter(substring)
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    # The generated column the migration adds (ADD_SEARCH_DOCUMENT): no model field names it.
    # Only the model's quoted table name is formatted in.
    table = connection.ops.quote_name(statements.model._meta.db_table)
    document = RawSQL(f'{table}."search_document"', [], output_field=SearchVectorField())  # noqa: S611
    # `document=query` compiles to `search_document @@ query`, which the GIN index answers; the
    # OR with the substring match lets PostgreSQL combine the indexes in one bitmap scan.
    return (
        statements.alias(document=document)
        .annotate(rank=SearchRank(document, query))
        .filter(Q(document=query) | substring)
        .order_by("-rank", "-published_on", "title")
    )
