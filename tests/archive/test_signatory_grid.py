"""
A statement's long signatory list: groups by country in the reader's collation, a count per
country, an index of countries, the first 20 with "Show all" (no script needed), and the
organisations whose country is not stated last, never under a heading.
"""

import re

import pytest
from django.utils import translation

from archive.models import Statement, StatementSignatory
from archive.views import SIGNATORIES_SHOWN_FIRST
from petitions.models import Organisation

from .conftest import TIBET_NETWORK, make_statement

pytestmark = pytest.mark.django_db


def _signatories(client, url: str) -> str:
    html = client.get(url).content.decode()
    return html[html.index('id="signatories"') : html.index("statement-citation")]


def _headings(section: str) -> list[str]:
    return re.findall(r'<h3 class="h6" id="signatories-[a-z]+">([^<]+)</h3>', section)


def _listed(section: str) -> list[str]:
    if "signatory-grid" in section:
        section = section[section.index("signatory-grid") :]
    return re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", section)


@pytest.fixture
def signed(db) -> Statement:
    """A statement signed by 25 organisations: 22 in five countries, three of no stated one."""
    statement = make_statement(slug="signed")
    countries = ["US"] * 8 + ["FR"] * 6 + ["TW"] * 4 + ["DE"] * 3 + ["HK"] + [""] * 3
    for position, country in enumerate(countries):
        organisation = Organisation.objects.create(
            name=f"Org {position:02d} {country or 'none'}", country=country
        )
        StatementSignatory.objects.create(
            statement=statement, organisation=organisation, position=position
        )
    return statement


def test_the_first_twenty_are_shown_with_a_link_to_all_that_needs_no_script(client, signed):
    section = _signatories(client, "/archive/signed/")

    assert len(_listed(section)) == SIGNATORIES_SHOWN_FIRST == 20
    assert '<a class="btn btn-outline-primary" href="?signatories=all#signatories">' in section
    assert "Show all 25 organisations" in section


def test_show_all_lists_every_one(client, signed):
    section = _signatories(client, "/archive/signed/?signatories=all")

    assert len(_listed(section)) == 25
    assert "Show all" not in section


def test_a_short_list_is_shown_whole(client, db):
    statement = make_statement(slug="few")
    for position in range(3):
        organisation = Organisation.objects.create(name=f"Few {position}", country="GB")
        StatementSignatory.objects.create(
            statement=statement, organisation=organisation, position=position
        )

    section = _signatories(client, "/archive/few/")

    assert len(_listed(section)) == 3
    assert "Show all" not in section
    assert "signatory-index" not in section  # one country: nothing to index


def test_each_country_heading_has_its_full_count_even_when_cut_short(client, signed):
    section = _signatories(client, "/archive/signed/")

    # The first twenty in English order: France 6, Germany 3, Hong Kong 1, Taiwan 4, and 6 of
    # the 8 of the United States.
    assert _headings(section) == [
        "France (6)",
        "Germany (3)",
        "Hong Kong (1)",
        "Taiwan (4)",
        "United States of America (8)",
    ]
    us = section[section.index('id="signatories-us"') :]
    assert len(_listed(us[: us.index("</ul>")])) == 6


def test_the_index_links_every_country_with_its_count(client, signed):
    section = _signatories(client, "/archive/signed/")
    index = section[section.index("signatory-index") : section.index("signatory-grid")]

    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', index) == [
        ("#signatories-fr", "France (6)"),
        ("#signatories-de", "Germany (3)"),
        ("#signatories-hk", "Hong Kong (1)"),
        ("#signatories-tw", "Taiwan (4)"),
        ("#signatories-us", "United States of America (8)"),
    ]


def test_the_index_links_a_country_not_on_the_page_to_the_full_list(client, db):
    statement = make_statement(slug="many")
    for position in range(SIGNATORIES_SHOWN_FIRST + 2):
        country = "AR" if position < SIGNATORIES_SHOWN_FIRST else "ZA"
        organisation = Organisation.objects.create(name=f"Many {position}", country=country)
        StatementSignatory.objects.create(
            statement=statement, organisation=organisation, position=position
        )

    section = _signatories(client, "/archive/many/")

    assert '<a href="#signatories-ar">Argentina (20)</a>' in section
    assert '<a href="?signatories=all#signatories-za">South Africa (2)</a>' in section
    assert 'id="signatories-za"' not in section
    assert 'id="signatories-za"' in _signatories(client, "/archive/many/?signatories=all")


def test_country_not_stated_comes_last_and_is_never_a_heading(client, signed):
    section = _signatories(client, "/archive/signed/?signatories=all")

    assert "Country not stated" not in section
    assert "<h3" not in section[section.index("signatory-not-stated") :]
    assert "And 3 organisations whose country is not stated:" in section
    assert _listed(section)[-3:] == ["Org 22 none", "Org 23 none", "Org 24 none"]


@pytest.mark.parametrize(
    ("prefix", "order"),
    [
        ("", ["France", "Germany", "Hong Kong", "Taiwan", "United States of America"]),
        # CLDR's stroke order for Traditional Chinese: 台(5) 法(8) 美(9) 香(9) 德(15).
        ("/zh-hant", ["台灣", "法國", "美國", "香港", "德國"]),
        # Pinyin for Simplified: de, fa, mei, tai, xiang.
        ("/zh-hans", ["德国", "法国", "美国", "台湾", "香港"]),
    ],
)
def test_countries_are_in_the_readers_collation(client, signed, prefix, order):
    section = _signatories(client, f"{prefix}/archive/signed/?signatories=all")

    assert [re.sub(r"\s*[（(]\d+[）)]$", "", h) for h in _headings(section)] == order


def test_the_many_signatory_statement_starts_with_twenty_and_an_index(client, seeds):
    section = _signatories(client, f"/archive/{TIBET_NETWORK}/")

    assert len(_listed(section)) == 20
    assert "Show all 121 organisations" in section
    with translation.override("en"):
        assert section.count('<li><a href="') >= 40  # the index: one link per country
