"""
Lists show one item per statement, whatever languages it exists in: the version in the reader's
language where there is one (a Chinese reader gets either script), linking to the others, and
its summary in the reader's language where a translation has one.
"""

import re
from datetime import date

import pytest

from archive.models import Statement

from .conftest import make_statement

pytestmark = pytest.mark.django_db


def _items(client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    return re.findall(r'<h3 [^>]*><a href="(?:/zh-han[st])?/archive/([^/]+)/"', html)


@pytest.fixture
def trilingual(db) -> dict[str, Statement]:
    original = make_statement(
        slug="vigil-en",
        title="Vigil statement",
        summary="We remember.",
        published_on=date(2024, 6, 4),
    )
    versions = {"en": original}
    for language, title, summary in [
        ("zh-hant", "悼念聲明", "我們記得。"),
        ("zh-hans", "悼念声明", "我们记得。"),
    ]:
        versions[language] = make_statement(
            slug=f"vigil-{language}",
            title=title,
            summary=summary,
            language=language,
            original=original,
            published_on=date(2024, 6, 5),
        )
    make_statement(slug="other", title="Another statement", published_on=date(2020, 1, 1))
    return versions


@pytest.mark.parametrize(
    ("prefix", "shown", "others"),
    [
        ("", "vigil-en", ["vigil-zh-hans", "vigil-zh-hant"]),
        ("/zh-hant", "vigil-zh-hant", ["vigil-en", "vigil-zh-hans"]),
        ("/zh-hans", "vigil-zh-hans", ["vigil-en", "vigil-zh-hant"]),
    ],
)
def test_one_item_per_statement_in_the_readers_language_linking_the_others(
    client, trilingual, prefix, shown, others
):
    html = client.get(f"{prefix}/archive/").content.decode()

    assert _items(client, f"{prefix}/archive/") == [shown, "other"]
    item = html[html.index(f'/archive/{shown}/"') : html.index('/archive/other/"')]
    assert re.findall(r'/archive/(vigil-[^/]+)/" hreflang', item) == others


@pytest.mark.parametrize(
    ("prefix", "summary"),
    [("", "We remember."), ("/zh-hant", "我們記得。"), ("/zh-hans", "我们记得。")],
)
def test_the_summary_is_in_the_readers_language(client, trilingual, prefix, summary):
    html = client.get(f"{prefix}/archive/").content.decode()

    assert summary in html
    assert sum(s in html for s in ("We remember.", "我們記得。", "我们记得。")) == 1


def test_a_chinese_reader_gets_the_other_script_when_theirs_is_missing(client, db):
    original = make_statement(slug="only-en", title="Only English")
    make_statement(slug="only-hans", title="只有简体", language="zh-hans", original=original)

    assert _items(client, "/zh-hant/archive/") == ["only-hans"]
    assert _items(client, "/archive/") == ["only-en"]


def test_a_version_without_a_summary_shows_another_versions_marked_with_its_language(client, db):
    original = make_statement(slug="sum-en", title="Summed", summary="In English only.")
    make_statement(slug="sum-hant", title="摘要", language="zh-hant", original=original)

    html = client.get("/zh-hant/archive/").content.decode()

    assert '<p class="card-text" lang="en">In English only.</p>' in html


def test_a_draft_version_is_neither_shown_nor_linked(client, trilingual):
    Statement.objects.filter(slug="vigil-zh-hant").update(is_published=False)

    html = client.get("/zh-hant/archive/").content.decode()

    assert _items(client, "/zh-hant/archive/") == ["vigil-zh-hans", "other"]
    assert "/archive/vigil-zh-hant/" not in html


def test_a_search_shows_the_version_that_matched(client, trilingual):
    # What was searched for is on screen: "Vigil" is only in the English title, so a Chinese
    # reader searching it gets the English text; 悼念 is in both Chinese titles, so an English
    # reader gets a Chinese one, and a Chinese reader their own script.
    assert _items(client, "/zh-hant/archive/?q=Vigil") == ["vigil-en"]
    assert _items(client, "/archive/?q=悼念") == ["vigil-zh-hans"]
    assert _items(client, "/zh-hant/archive/?q=悼念") == ["vigil-zh-hant"]


def test_the_language_filter_shows_that_languages_version(client, trilingual):
    assert _items(client, "/zh-hant/archive/?language=en") == ["vigil-en", "other"]
    assert _items(client, "/archive/?language=zh-hant") == ["vigil-zh-hant"]


def test_the_count_is_of_statements(client, trilingual):
    assert "2 statements" in client.get("/archive/").content.decode()


def test_the_list_pages_through_statements_not_texts(client, db):
    from archive.views import STATEMENTS_PER_PAGE

    for number in range(STATEMENTS_PER_PAGE):
        original = make_statement(
            slug=f"s-{number}", title=f"Statement {number}", published_on=date(2020, 1, 1)
        )
        make_statement(
            slug=f"s-{number}-zh", title=f"聲明 {number}", language="zh-hant", original=original
        )

    html = client.get("/archive/").content.decode()

    assert len(_items(client, "/archive/")) == STATEMENTS_PER_PAGE
    assert 'rel="next"' not in html
    assert f"{STATEMENTS_PER_PAGE} statements" in html


def test_the_home_page_lists_each_statement_once_in_the_readers_language(client, trilingual):
    for prefix, title in [
        ("", "Vigil statement"),
        ("/zh-hant", "悼念聲明"),
        ("/zh-hans", "悼念声明"),
    ]:
        html = client.get(f"{prefix}/").content.decode()
        latest = html[html.index("latest-statements") :]
        assert f">{title}</a>" in latest
        assert latest.count("/archive/vigil-") == 3  # the item, and its two other versions
