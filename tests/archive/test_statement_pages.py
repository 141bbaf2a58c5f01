import re

import pytest
from django.urls import reverse
from django.utils import translation

from petitions.models import Petition

from .conftest import COALITION_EN, COALITION_ZH, DEBRIS, HRIC_2000, TIBET_NETWORK, make_statement

pytestmark = pytest.mark.django_db

LANGUAGE_PREFIXES = ["", "/zh-hant", "/zh-hans"]


def _detail(client, slug: str, prefix: str = "") -> str:
    response = client.get(f"{prefix}/archive/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_statement_page_shows_metadata_body_and_source(client, seeds):
    html = _detail(client, "us-in-tiananmen-amnesty-plea")

    assert "<h1" in html and html.count("<h1") == 1
    assert "US in Tiananmen amnesty plea" in html
    assert "Richard Connor" in html
    assert "Deutsche Welle (DW)" in html
    assert '<time datetime="2012-06-03">' in html
    assert "News article" in html
    assert "A Red Cross report said 727 people were killed" in html


def test_statement_body_is_escaped_and_split_into_paragraphs_and_lists(client, db):
    make_statement(body="First <script>alert(1)</script> paragraph.\n\n- one\n- two & three")

    html = _detail(client, "a-statement-of-our-own")

    assert "<script>alert(1)</script>" not in html
    assert "<p>First &lt;script&gt;alert(1)&lt;/script&gt; paragraph.</p>" in html
    assert "<ul><li>one</li><li>two &amp; three</li></ul>" in html


def test_chinese_statement_carries_zh_hant_lang_on_title_and_body(client, seeds):
    html = _detail(client, COALITION_ZH)

    assert re.search(r'<h1[^>]*lang="zh-Hant"[^>]*>六四32週年聯合聲明</h1>', html)
    assert re.search(r'class="statement-body" lang="zh-Hant"><p>香港曾經', html)
    # The page chrome stays in the interface language.
    assert '<html lang="en">' in html


def test_english_statement_links_to_its_chinese_version_and_back(client, seeds):
    english = _detail(client, COALITION_EN)
    chinese = _detail(client, COALITION_ZH)

    assert f'href="/archive/{COALITION_ZH}/" hreflang="zh-Hant"' in english
    assert f'href="/archive/{COALITION_EN}/" hreflang="en"' in chinese


def test_a_draft_translation_is_not_offered_to_the_public(client, seeds):
    seeds[COALITION_ZH].unpublish()

    html = _detail(client, COALITION_EN)

    assert COALITION_ZH not in html


def test_tibet_network_page_shows_121_signatories_grouped_by_country(client, seeds):
    response = client.get(f"/archive/{TIBET_NETWORK}/?signatories=all")
    html = response.content.decode()

    assert "Signed by 121 organisations." in html
    grid = html[html.index("signatory-grid") : html.index("statement-citation")]
    assert grid.count("<li>") == 121
    assert re.search(
        r"<h3[^>]*>Colombia \(1\)</h3>\s*<ul[^>]*>\s*<li>Amigos de Tibet, Colombia</li>", html
    )
    assert "Country not stated" not in html


def test_coalition_page_shows_eight_signatories(client, seeds):
    html = _detail(client, COALITION_EN)

    assert "Signed by 8 organisations." in html
    assert "Global Alliance for Tibet &amp; Persecuted Minorities" in html


def test_statement_page_offers_a_citation_line(client, seeds):
    html = _detail(client, "us-in-tiananmen-amnesty-plea")

    assert (
        "Richard Connor, “US in Tiananmen amnesty plea”, Deutsche Welle (DW), June 3, 2012. "
        "Archived at http://127.0.0.1:8000/archive/us-in-tiananmen-amnesty-plea/"
    ) in html


def test_the_seed_statements_name_their_source_and_claim_no_address(client, seeds):
    # The copies the archive was made from carry no web addresses: none is made up.
    html = _detail(client, TIBET_NETWORK)

    assert "International Tibet Network" in html
    assert all(not statement.source_url for statement in seeds.values())


def test_a_statement_with_a_known_address_links_to_its_source(client, db):
    make_statement(source_name="Example Network", source_url="https://example.org/statement")

    html = _detail(client, "a-statement-of-our-own")

    assert (
        '<a href="https://example.org/statement" rel="nofollow noopener">Example Network</a>'
    ) in html
    assert "https://example.org/statement. Archived at" in html


def test_statement_links_to_its_petition(client, seeds, demo_petition):
    html = _detail(client, HRIC_2000)

    assert f'href="{demo_petition.get_absolute_url()}">Sign the petition</a>' in html


def test_no_petition_link_when_the_petition_is_a_draft(client, seeds, demo_petition):
    Petition.objects.filter(pk=demo_petition.pk).update(status=Petition.Status.DRAFT)

    assert "Sign the petition" not in _detail(client, HRIC_2000)


def test_a_draft_statement_is_a_404_for_the_public(client, db):
    make_statement(is_published=False)

    assert client.get("/archive/a-statement-of-our-own/").status_code == 404


def test_staff_can_preview_a_draft_at_its_address(admin_client, db):
    make_statement(is_published=False)

    response = admin_client.get("/archive/a-statement-of-our-own/")

    assert response.status_code == 200
    assert "Draft: only staff can see this statement." in response.content.decode()


def test_unknown_statement_is_a_404(client, db):
    assert client.get("/archive/no-such-statement/").status_code == 404


@pytest.mark.parametrize("prefix", LANGUAGE_PREFIXES)
def test_no_web_debris_on_any_archive_page(client, seeds, prefix):
    pages = [f"{prefix}/", f"{prefix}/archive/", f"{prefix}/archive/?q=Tiananmen"]
    pages += [f"{prefix}/archive/{slug}/" for slug in seeds]
    pages += [reverse("archive:feed")]

    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        text = response.content.decode()
        for debris in DEBRIS:
            assert debris not in text, f"{debris!r} on {address}"


def test_home_page_lists_the_latest_statements_with_their_language(client, seeds):
    html = client.get("/").content.decode()

    latest = html[html.index("latest-statements") :]
    assert "Statement on the 34th anniversary of the Tiananmen Square Massacre" in latest
    # The coalition's statement once, in English, with a link to its Chinese version.
    assert "六四32週年聯合聲明" not in latest
    assert f'<a href="/archive/{COALITION_ZH}/" hreflang="zh-Hant">' in latest
    chinese = client.get("/zh-hant/").content.decode()
    assert 'lang="zh-Hant">六四32週年聯合聲明</a>' in chinese[chinese.index("latest-statements") :]


def test_statement_page_in_chinese_interface_keeps_the_statement_language(client, seeds):
    html = _detail(client, TIBET_NETWORK, "/zh-hans")

    assert '<html lang="zh-hans">' in html
    assert 'id="statement-title" lang="en"' in html
    with translation.override("zh-hans"):
        assert str(seeds[TIBET_NETWORK].topics.get(slug="tibet").name) == "西藏"
    assert "西藏" in html


def test_statement_page_runs_a_fixed_number_of_queries(
    client, seeds, django_assert_max_num_queries
):
    # 121 signatories, grouped by country: one query for all of them, not one per organisation.
    with django_assert_max_num_queries(6):
        client.get(f"/archive/{TIBET_NETWORK}/")
