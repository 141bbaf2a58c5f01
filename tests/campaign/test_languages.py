import re

import pytest

from tests.public_pages import public_page_paths

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]*)"')
LANGUAGE_LINK = re.compile(r'<(?:a|link)\b[^>]*\bhreflang="[^"]*"[^>]*>')


def _language_links(response) -> list[str]:
    """Every link to the page in another language: the switcher's and the <link rel=alternate>."""
    html = response.content.decode()
    return [HREF.search(tag).group(1) for tag in LANGUAGE_LINK.findall(html)]


def _same_site(href: str) -> bool:
    return href.startswith("/") and not href.startswith("//") and "\\" not in href


@pytest.mark.parametrize(
    ("path", "language", "skip_link"),
    [
        ("/", "en", "Skip to main content"),
        ("/zh-hant/", "zh-hant", "跳到主要內容"),
        ("/zh-hans/", "zh-hans", "跳到主要内容"),
    ],
)
def test_home_page_is_served_in_each_language_with_its_html_lang(
    client, path, language, skip_link
):
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert skip_link in html


def test_language_switcher_links_to_the_same_page_in_the_other_languages(client, open_petition):
    response = client.get(f"/petitions/{open_petition.slug}/")

    html = response.content.decode()
    # Through choose_language, which remembers the choice (tests/campaign/test_root_language.py).
    slug = open_petition.slug
    assert f'href="/choose-language/zh-hant/petitions/{slug}/" hreflang="zh-hant"' in html
    assert f'href="/choose-language/zh-hans/petitions/{slug}/" hreflang="zh-hans"' in html


def test_following_a_language_link_shows_the_page_in_that_language(client, open_petition):
    response = client.get(f"/zh-hant/petitions/{open_petition.slug}/")

    assert response.status_code == 200
    assert "開放檔案" in response.content.decode()


def test_language_switcher_drops_the_query_string(client):
    response = client.get("/zh-hans/archive/?page=2")

    assert 'href="/choose-language/archive/" hreflang="en"' in response.content.decode()


def test_a_path_naming_another_host_gets_links_to_this_site_only(client):
    # As sent on the wire (the test client would read "//evil.example" as a host).
    response = client.get("/", PATH_INFO="//evil.example/petitions/")

    assert response.status_code == 404
    hrefs = HREF.findall(response.content.decode())
    assert hrefs
    assert [href for href in hrefs if not (_same_site(href) or href.startswith("#"))] == []
    assert {"/", "/zh-hant/", "/zh-hans/"} <= set(_language_links(response))


def test_an_unknown_page_links_to_each_language_home_page(client):
    response = client.get("/zh-hant/no-such-page/?utm=x")

    assert _language_links(response) == [
        *("/", "/zh-hant/", "/zh-hans/"),  # <link rel="alternate">
        *("/choose-language/", "/choose-language/zh-hans/"),  # the switcher
    ]


def test_every_public_page_links_its_languages_on_this_site_without_the_query(
    client, open_petition, closed_petition
):
    wrong = {}
    for path in public_page_paths(open_petition, closed_petition):
        for prefix in ("", "/"):
            response = client.get(f"{prefix}{path}?utm=POISONED")
            links = _language_links(response)
            if not links or [link for link in links if not _same_site(link) or "?" in link]:
                wrong[f"{prefix}{path}"] = links

    assert wrong == {}
