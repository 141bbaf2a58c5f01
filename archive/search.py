"""
Searching the archive: English by PostgreSQL full-text search, Chinese by substring.

PostgreSQL's parsers do not split Chinese into words (a full-text search for 聲明 inside
就新安全法的聯署聲明 finds nothing), so every query runs two ways at once:
- full text on the 'english' configuration (stemmed, so "petitions" finds "petition"), ranked
  (title over summary over body), read from `search_document`, a stored generated tsvector
  column with a GIN index. Stored, not an expression index: ranking thousands of matches from
  an expression index re-parses every matching body (seconds at 20,000 statements);
- a substring match on `search_text`, a plain `LIKE '%…%'` (case is folded when the copy is
  written, so no UPPER() per row, which cost four times the match: archive migration 0004),
  which a GIN `gin_trgm_ops` index over `search_text` serves (pg_trgm; a query of three
  characters or more uses it, shorter ones scan).
Chinese is searched in one script: `search_text` holds title, summary and body converted to
Simplified Chinese by OpenCC and lower-cased (filled on every save, see Statement.save; by
migrations 0003 and 0004 for older rows) and the query is converted the same way, so 天安門
and 天安门 both become 天安门 and the index answers either; converting the stored text inside
the query instead would read every row. Topic names match in all three languages, folded the
same way.
SQLite has neither: there the substring match alone runs, unindexed, which is fine for a laptop.

`search_document` and the indexes exist on PostgreSQL only, created by migrations 0001 and
0003 (which hold their SQL, on the same configuration and fields as here); `search_document` is
kept out of the model: SQLite could not create it, and Django must never write to a generated
column. A later migration that changes
the type of title, summary or body on PostgreSQL must drop `search_document` first and add it
back after (PostgreSQL refuses to alter a column a generated column reads).
"""

from functools import cache

import opencc
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

SEARCH_CONFIG = "english"
SEARCHED_FIELDS = ("title", "summary", "body")
# OpenCC's Traditional-to-Simplified table: characters and phrases, not a hand-made list.
# Simplified text (and English) passes through unchanged.
FOLD_CONFIG = "t2s"
# Long enough for any real query; a 10,000-character paste is cut rather than parsed.
MAX_QUERY_LENGTH = 200


def clean_query(text: str) -> str:
    """What a search box may hand to the database: no NUL (PostgreSQL refuses it), not huge."""
    return " ".join(text.replace("\x00", "").split())[:MAX_QUERY_LENGTH]


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC(FOLD_CONFIG)


def fold(text: str) -> str:
    """`text` with Traditional Chinese written as Simplified, for matching either script."""
    return _converter().convert(text) if text else text


def searchable_text(title: str, summary: str, body: str) -> str:
    """What `search_text` stores for a statement: its searched fields, folded, lower case."""
    return fold("\n".join((title, summary, body))).lower()


def matching_topics(text: str) -> QuerySet:
    """Topics whose name, in any language and either script, contains `text`."""
    from .models import Topic  # models imports this module for fold()

    folded = fold(clean_query(text)).casefold()
    if not folded:
        return Topic.objects.none()
    # A handful of topics: folding their names here costs less than storing folded copies.
    ids = [
        topic.pk
        for topic in Topic.objects.all()
        if any(
            folded in fold(name).casefold()
            for name in (topic.name_en, topic.name_zh_hant, topic.name_zh_hans)
        )
    ]
    return Topic.objects.filter(pk__in=ids)


def search(statements: QuerySet, text: str) -> QuerySet:
    """Statements matching `text`, best first on PostgreSQL, newest first on SQLite."""
    text = clean_query(text)
    if not text:
        return statements
    substring = Q(search_text__contains=fold(text).lower())
    topics = list(matching_topics(text).values_list("pk", flat=True))
    if topics:
        # The ids themselves, not a join (a statement under two matching topics is listed
        # once) nor a subquery (an OR with a subplan rules out combining the indexes).
        tagged = statements.model.topics.through.objects.filter(topic_id__in=topics)
        substring |= Q(pk__in=set(tagged.values_list("statement_id", flat=True)))
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
