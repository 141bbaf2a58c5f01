import re
from datetime import date

import pytest

from archive.models import Statement
from archive.views import STATEMENTS_PER_PAGE

from .conftest import (
    COALITION_EN,
    COALITION_ZH,
    DW_2012,
    HRF_2014,
    HRIC_2000,
    TIBET_NETWORK,
    make_statement,
)

pytestmark = pytest.mark.django_db


def _listed(client, query: str = "") -> list[str]:
    """Slugs of the statements the list page shows, in order."""
    response = client.get(f"/archive/{query}")
    assert response.status_code == 200
    return re.findall(r'<h3 [^>]*><a href="/archive/([^/]+)/"', response.content.decode())


def test_list_shows_published_statements_newest_first(client, seeds):
    # The coalition's statement is one item, in English for an English reader.
    assert _listed(client) == [
        TIBET_NETWORK,
        COALITION_EN,
        HRF_2014,
        DW_2012,
        HRIC_2000,
    ]


def test_list_hides_drafts(client, seeds):
    make_statement(slug="draft-one", title="A draft", is_published=False)

    assert "draft-one" not in _listed(client)
    assert "draft-one" not in _listed(client, "?q=draft")


def test_list_is_paginated_keeping_the_filters(client, db):
    for number in range(STATEMENTS_PER_PAGE + 3):
        make_statement(
            slug=f"s-{number}", title=f"Statement {number}", published_on=date(2020, 1, 1)
        )

    first = client.get("/archive/?year=2020").content.decode()
    second = _listed(client, "?year=2020&page=2")

    assert len(_listed(client, "?year=2020")) == STATEMENTS_PER_PAGE
    assert len(second) == 3
    assert 'href="?year=2020&amp;page=2"' in first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?year=2021", {COALITION_EN}),
        ("?year=2000", {HRIC_2000}),
        ("?publisher=Human+Rights+First", {HRF_2014}),
        ("?publisher=International+Tibet+Network", {TIBET_NETWORK}),
        ("?kind=news-article", {DW_2012}),
        ("?kind=joint-statement", {TIBET_NETWORK, COALITION_EN}),
        ("?topic=tibet", {TIBET_NETWORK, COALITION_EN}),
        ("?topic=tiananmen-mothers", {HRIC_2000, HRF_2014, TIBET_NETWORK, COALITION_EN}),
        ("?language=zh-hant", {COALITION_ZH}),
        ("?language=en&year=2021", {COALITION_EN}),
        ("?topic=hong-kong&kind=joint-statement&language=zh-hant", {COALITION_ZH}),
    ],
)
def test_each_filter_narrows_the_list(client, seeds, query, expected):
    assert set(_listed(client, query)) == expected


def test_filter_form_keeps_the_chosen_values(client, seeds):
    html = client.get("/archive/?year=2021&kind=joint-statement&q=vigil").content.decode()

    assert '<option value="2021" selected>2021</option>' in html
    assert '<option value="joint-statement" selected>' in html
    assert 'name="q" value="vigil"' in html
    assert re.search(r'<label\s+for="id_year"', html)


def test_a_filter_with_no_match_shows_an_empty_state(client, seeds):
    html = client.get("/archive/?q=nothingmatchesthisword").content.decode()

    assert "No statement matches your search." in html
    assert "0 statements found for “nothingmatchesthisword”" in html


BAD_INPUT = [
    "?year=abc",
    "?year=99999999999999999999",
    "?year=-1",
    "?page=999999999999",
    "?page=-5",
    "?page=abc",
    "?q=%00",
    "?q=a%00b",
    "?year=2021%00",
    "?publisher=%00",
    "?topic=%00&kind=%00&language=%00",
    "?q=" + "x" * 10_000,
    "?q=" + "聲明" * 5_000,
    "?q=%27%3B+DROP+TABLE+archive_statement%3B+--",
    "?q=%22%29+OR+1%3D1+--",
    "?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E",
    "?q=%21%26%7C%3A%2A%28%29",
    "?q=%5C%25_",
    "?q=-",
    "?q=%22",
    "?q=or",
    "?publisher=%3Cb%3Ebold%3C%2Fb%3E",
    "?topic=not-a-topic&kind=poem&language=klingon",
    "?year[]=2021&q[]=x",
    "?language=zh-hant&language=en",
]


@pytest.mark.parametrize("query", BAD_INPUT)
def test_bad_input_answers_with_results_or_an_empty_state(client, seeds, query):
    response = client.get(f"/archive/{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<b>bold</b>" not in html


def test_an_invalid_filter_is_ignored_and_the_others_apply(client, seeds):
    assert set(_listed(client, "?year=abc&language=zh-hant")) == {COALITION_ZH}


def test_statement_count_is_shown(client, seeds):
    # Six texts, five statements: the coalition's in English and Chinese is one.
    assert "5 statements" in client.get("/archive/").content.decode()


def test_list_runs_a_fixed_number_of_queries(client, seeds, django_assert_max_num_queries):
    for number in range(10):
        make_statement(slug=f"extra-{number}")
    Statement.objects.filter(slug__startswith="extra").update(published_on=date(2024, 1, 1))

    with django_assert_max_num_queries(12):
        client.get("/archive/")
