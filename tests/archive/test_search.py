import re

import pytest
from django.db import connection

from archive.models import Statement
from archive.search import search

from .conftest import COALITION_EN, COALITION_ZH, HRF_2014, HRIC_2000, make_statement

pytestmark = pytest.mark.django_db


def _found(client, text: str) -> list[str]:
    response = client.get("/archive/", {"q": text})
    assert response.status_code == 200
    return re.findall(r'<h3 [^>]*><a href="/archive/([^/]+)/"', response.content.decode())


def test_search_finds_a_word_in_the_title(client, seeds):
    assert _found(client, "amnesty plea") == ["us-in-tiananmen-amnesty-plea"]


def test_search_finds_a_word_in_the_summary(client, db):
    make_statement(summary="About the candlelight vigil.", body="Nothing here.")

    assert _found(client, "vigil") == ["a-statement-of-our-own"]


def test_search_finds_a_chinese_word_inside_a_chinese_sentence(client, seeds):
    # 聲明 sits inside 在我們起草這篇聲明的同時: no spaces for a word parser to split on.
    assert COALITION_ZH in _found(client, "聲明")
    assert _found(client, "吳敏兒") == [COALITION_ZH]


def test_search_ignores_drafts(client, db):
    make_statement(body="A secret petition draft.", is_published=False)

    assert _found(client, "secret") == []


@pytest.mark.postgresql
def test_search_is_stemmed_so_petitions_finds_petition(client, db):
    make_statement(slug="singular", title="One text", body="They signed a petition in 1999.")

    assert _found(client, "petitions") == ["singular"]


@pytest.mark.postgresql
def test_search_finds_the_tiananmen_mothers_announcement_by_a_stemmed_word(client, seeds):
    # The announcement says "requesting"; the visitor types "requests".
    assert HRIC_2000 in _found(client, "requests investigation")


@pytest.mark.postgresql
def test_search_ranks_a_title_match_before_a_body_match(client, db):
    make_statement(slug="in-body", title="Other", body="The vigil went ahead.")
    make_statement(slug="in-title", title="The vigil", body="Other text.")

    assert _found(client, "vigil") == ["in-title", "in-body"]


@pytest.mark.postgresql
def test_search_understands_web_search_syntax(client, seeds):
    with_quotes = _found(client, '"human rights defenders"')
    excluding = _found(client, "Tiananmen -Tibet")

    assert HRF_2014 in with_quotes
    assert COALITION_EN not in excluding
    assert HRF_2014 in excluding


@pytest.mark.postgresql
def test_search_uses_the_full_text_and_trigram_indexes(seeds):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search(Statement.objects.all(), "petitions 聲明").explain()

    assert "statement_fulltext_idx" in plan
    assert "statement_search_text_trgm_idx" in plan


@pytest.mark.postgresql
def test_search_survives_nul_bytes_and_huge_input_on_postgresql(client, seeds):
    assert client.get("/archive/", {"q": "pet\x00ition"}).status_code == 200
    assert client.get("/archive/", {"q": "petition " * 2_000}).status_code == 200
    assert client.get("/archive/", {"q": "a" * 10_000}).status_code == 200


def test_search_matches_a_substring_on_every_database(client, db):
    # SQLite's only way; on PostgreSQL the trigram-indexed half of the query.
    make_statement(body="They signed a petition.")

    assert _found(client, "signed a pet") == ["a-statement-of-our-own"]
