import xml.etree.ElementTree as ET

import pytest

from petitions.models import Petition

from .conftest import COALITION_ZH, SEED_SLUGS, make_statement

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _feed(client) -> ET.Element:
    response = client.get("/archive/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own server's XML


def _sitemap_locations(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's XML
    return {loc.text for loc in root.iter(f"{SITEMAP}loc")}


def test_feed_is_atom_with_one_entry_per_published_statement(client, seeds):
    root = _feed(client)

    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    links = {entry.find(f"{ATOM}link").get("href") for entry in entries}
    assert links == {f"http://testserver/archive/{slug}/" for slug in SEED_SLUGS}
    assert all(entry.find(f"{ATOM}title").text for entry in entries)
    assert all(entry.find(f"{ATOM}updated").text for entry in entries)


def test_feed_entries_carry_their_language(client, seeds):
    entries = {
        entry.find(f"{ATOM}link").get("href"): entry
        for entry in _feed(client).iter(f"{ATOM}entry")
    }

    chinese = entries[f"http://testserver/archive/{COALITION_ZH}/"]
    assert chinese.get(XML_LANG) == "zh-Hant"
    assert chinese.find(f"{ATOM}title").text == "六四32週年聯合聲明"


def test_feed_leaves_out_drafts(client, db):
    make_statement(is_published=False)

    assert _feed(client).findall(f"{ATOM}entry") == []


def test_sitemap_lists_every_published_statement_and_petition_in_each_language(
    client, seeds, demo_petition, open_petition, closed_petition
):
    locations = _sitemap_locations(client)

    for slug in SEED_SLUGS:
        for prefix in ["", "/zh-hant", "/zh-hans"]:
            assert f"http://testserver{prefix}/archive/{slug}/" in locations
    for petition in [demo_petition, open_petition, closed_petition]:
        assert f"http://testserver/petitions/{petition.slug}/" in locations
        assert f"http://testserver/zh-hant/petitions/{petition.slug}/" in locations


def test_sitemap_leaves_out_drafts(client, db):
    make_statement(is_published=False)
    Petition.objects.create(
        slug="draft-petition",
        title_en="Draft",
        summary_en="Draft",
        text_en="Draft",
        target_en="Nobody",
    )

    locations = _sitemap_locations(client)

    assert not any("a-statement-of-our-own" in location for location in locations)
    assert not any("draft-petition" in location for location in locations)
