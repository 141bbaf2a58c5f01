import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from petitions.models import Petition

from .conftest import COALITION_ZH, SEED_SLUGS, make_statement

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 3339 date-time, as Atom requires (section 3.3): a "T", seconds, and an explicit offset.
RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


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


def _is_rfc_3339(text: str) -> bool:
    return bool(RFC_3339.fullmatch(text)) and datetime.fromisoformat(text).tzinfo is not None


def test_the_feed_has_an_id_a_title_an_updated_time_and_a_link_to_itself(client, seeds):
    root = _feed(client)

    assert root.find(f"{ATOM}id").text
    assert root.find(f"{ATOM}title").text == "Candlelight: archive of statements"
    assert _is_rfc_3339(root.find(f"{ATOM}updated").text)
    self_links = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_links] == ["http://testserver/archive/feed.atom"]


def test_each_feed_entry_has_an_id_an_author_and_an_updated_time(client, seeds):
    by_address = {f"http://testserver/archive/{slug}/": seeds[slug] for slug in SEED_SLUGS}

    entries = _feed(client).findall(f"{ATOM}entry")

    assert len(entries) == len(SEED_SLUGS)
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert all(ids) and len(set(ids)) == len(ids)
    for entry in entries:
        statement = by_address[entry.find(f"{ATOM}link").get("href")]
        # The statement's author where the document names one, else its publisher.
        expected_author = statement.author or statement.publisher
        assert entry.find(f"{ATOM}author/{ATOM}name").text == expected_author
        assert _is_rfc_3339(entry.find(f"{ATOM}updated").text)


def test_a_feed_entry_without_an_author_is_by_its_publisher(client, db):
    make_statement(publisher="Human Rights in China", author="")

    (entry,) = _feed(client).findall(f"{ATOM}entry")

    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Human Rights in China"


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
