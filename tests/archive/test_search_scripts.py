"""
Archive search across Chinese scripts (issue 14): a query in Traditional or Simplified finds text
written in either, topic names match in every language, the results say which languages they are
in, and an empty result suggests topics.
"""

import importlib
import re

import opencc
import pytest
from django.apps import apps
from django.db import connection

from archive.models import Statement, Topic
from archive.search import fold, search, searchable_text

from .conftest import COALITION_ZH, SEED_SLUGS, make_statement

pytestmark = pytest.mark.django_db

TO_TRADITIONAL = opencc.OpenCC("s2t")
TO_SIMPLIFIED = opencc.OpenCC("t2s")


def _found(client, text: str) -> list[str]:
    response = client.get("/archive/", {"q": text})
    assert response.status_code == 200
    return re.findall(r'<h3 [^>]*><a href="/archive/([^/]+)/"', response.content.decode())


@pytest.fixture
def both_scripts(db):
    for slug, title, body, language in [
        ("square-hant", "紀念", "我們記得天安門廣場。", "zh-hant"),
        ("square-hans", "纪念", "我们记得天安门广场。", "zh-hans"),
        ("mothers-hant", "悼念", "她們是失去孩子的母親。", "zh-hant"),
        ("mothers-hans", "悼念", "她们是失去孩子的母亲。", "zh-hans"),
    ]:
        make_statement(slug=slug, title=title, body=body, language=language)
    make_statement(slug="unrelated", title="Other", body="Nothing to see.")


@pytest.mark.postgresql
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("天安门", {"square-hant", "square-hans"}),
        ("天安門", {"square-hant", "square-hans"}),
        ("母亲", {"mothers-hant", "mothers-hans"}),
        ("母親", {"mothers-hant", "mothers-hans"}),
    ],
)
def test_a_query_in_either_script_finds_statements_in_both(client, both_scripts, query, expected):
    assert set(_found(client, query)) == expected


@pytest.mark.postgresql
def test_the_folded_search_is_served_by_the_trigram_index(both_scripts):
    # Folding the stored text inside the query would read every row; the stored folded copy
    # lets the index answer. Sequential scans are discouraged so the tiny table still shows it.
    statements = search(Statement.objects.all(), "天安門")
    sql, params = statements.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "statement_search_text_trgm_idx" in plan


def test_every_seeded_chinese_title_is_found_in_both_scripts(client, seeds):
    # The class: whichever script a reader types a published Chinese title in, it is found.
    chinese = Statement.objects.filter(slug__in=SEED_SLUGS).exclude(language="en")
    assert chinese.exists()
    for statement in chinese:
        simplified = TO_SIMPLIFIED.convert(statement.title)
        traditional = TO_TRADITIONAL.convert(simplified)
        for query in (statement.title, simplified, traditional):
            assert statement.slug in _found(client, query), query


def test_every_way_of_saving_keeps_the_folded_copy_current(db, seeds):
    # The class of bug: a stale search_text makes a statement unfindable. Created, imported
    # (the seeds), edited whole or by update_fields, and backfilled by the migration.
    statement = make_statement(title="聲明", body="天安門")
    statement.title = "新聲明"
    statement.save(update_fields=["title"])
    statement.refresh_from_db()
    assert statement.search_text == searchable_text("新聲明", "", "天安門")

    Statement.objects.update(search_text="")
    migration = importlib.import_module("archive.migrations.0004_search_text_lowercase")
    migration.fill_search_text(apps, None)
    for row in Statement.objects.all():
        assert row.search_text == searchable_text(row.title, row.summary, row.body), row.slug
        assert row.search_text == fold(row.search_text)  # nothing Traditional left to fold
        assert row.search_text == row.search_text.lower()
    assert Statement.objects.filter(slug=COALITION_ZH).exists()


@pytest.fixture
def mothers_topic(db):
    topic = Topic.objects.create(
        slug="tiananmen-mothers",
        name_en="Tiananmen Mothers",
        name_zh_hant="天安門母親",
        name_zh_hans="天安门母亲",
    )
    statement = make_statement(slug="tagged", title="An appeal", body="We remember.")
    statement.topics.add(topic)
    make_statement(slug="untagged", title="Other", body="Nothing to see.")
    return topic


@pytest.mark.parametrize("query", ["tiananmen mothers", "天安門母親", "天安门母亲", "母親"])
def test_a_topic_name_in_any_language_or_script_finds_its_statements(client, mothers_topic, query):
    assert _found(client, query) == ["tagged"]
    page = client.get("/archive/", {"q": query}).content.decode()
    assert 'href="/archive/?topic=tiananmen-mothers"' in page


def test_the_results_say_which_languages_they_are_in(client, both_scripts):
    page = client.get("/archive/", {"q": "天安门"}).content.decode()
    assert "Chinese is searched in Traditional and Simplified script alike." in page
    assert "Results in:" in page
    assert "Traditional Chinese (1)" in page
    assert "Simplified Chinese (1)" in page


def test_an_empty_result_suggests_topics(client, mothers_topic):
    page = client.get("/archive/", {"q": "nothing matches this"}).content.decode()
    assert "No statement matches your search" in page
    assert "Browse by topic instead" in page
    assert 'href="/archive/?topic=tiananmen-mothers">Tiananmen Mothers</a>' in page
