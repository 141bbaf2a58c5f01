"""
Searching the archive: English by PostgreSQL full-text search, Chinese by substring.

PostgreSQL's parsers do not split Chinese into words (a full-text search for 聲明 inside
就新安全法的聯署聲明 finds nothing), so every query runs two ways at once:
- full text on the 'english' configuration (stemmed, so "petitions" finds "petition"),
  ranked, served by a GIN index over the very expression `search_vector()` builds;
- a case-insensitive substring match, which Django writes as `UPPER(column) LIKE UPPER(…)` and
  which GIN `gin_trgm_ops` indexes over `UPPER(column)` serve (pg_trgm).
SQLite has neither: there the substring match alone runs, unindexed, which is fine for a laptop.

The indexes are created by `PostgreSQLOnly` operations in migration 0001, from the same
expressions as the query, so that the two cannot drift apart.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper

SEARCH_CONFIG = "english"
SEARCHED_FIELDS = ("title", "summary", "body")
# Long enough for any real query; a 10,000-character paste is cut rather than parsed.
MAX_QUERY_LENGTH = 200


def search_vector() -> SearchVector:
    """Title weighs more than summary, summary more than body."""
    return (
        SearchVector("title", config=SEARCH_CONFIG, weight="A")
        + SearchVector("summary", config=SEARCH_CONFIG, weight="B")
        + SearchVector("body", config=SEARCH_CONFIG, weight="C")
    )


def search_indexes() -> list[GinIndex]:
    return [
        # `search()`: the full-text match and its rank.
        GinIndex(search_vector(), name="statement_fulltext_idx"),
        # `search()`: `field__icontains`, i.e. UPPER(field) LIKE UPPER('%…%'), for Chinese.
        *(
            GinIndex(
                OpClass(Upper(field), name="gin_trgm_ops"), name=f"statement_{field}_trgm_idx"
            )
            for field in SEARCHED_FIELDS
        ),
    ]


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
    vector = search_vector()
    # `document=query` compiles to `<vector> @@ <query>`, which the GIN index answers; the OR
    # with the substring match lets PostgreSQL combine both indexes in one bitmap scan.
    return (
        statements.alias(document=vector)
        .annotate(rank=SearchRank(vector, query))
        .filter(Q(document=query) | substring)
        .order_by("-rank", "-published_on", "title")
    )


class PostgreSQLOnly(Operation):
    """
    Run an index operation on PostgreSQL and nothing elsewhere.

    The indexes stay out of the model's Meta (and so out of the migration state) on purpose:
    SQLite rebuilds a table from the state when it alters one, and could not create them.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, index: GinIndex) -> None:
        self.index = index

    def deconstruct(self) -> tuple:
        return (self.__class__.__qualname__, [self.index], {})

    def state_forwards(self, app_label: str, state: object) -> None:
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.add_index(to_state.apps.get_model(app_label, "Statement"), self.index)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.remove_index(
                from_state.apps.get_model(app_label, "Statement"), self.index
            )

    def describe(self) -> str:
        return f"Create index {self.index.name} on PostgreSQL"
