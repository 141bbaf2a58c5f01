"""A first visit to `/` lands in the reader's language; the switcher's choice wins afterwards."""

import re

import pytest

from campaign.root_language import browser_language
from petitions.models import Petition
from tests.public_pages import public_page_paths

pytestmark = pytest.mark.django_db

SWITCHER_LINK = re.compile(r'<a class="nav-link" href="([^"]*)" hreflang="([^"]*)"')


def _landing(client, accept_language: str | None):
    headers = {} if accept_language is None else {"Accept-Language": accept_language}
    return client.get("/", headers=headers, follow=True)


@pytest.mark.parametrize(
    ("accept_language", "landing", "html_lang"),
    [
        ("zh-TW,zh;q=0.9", "/zh-hant/", "zh-hant"),
        ("zh-HK", "/zh-hant/", "zh-hant"),
        ("zh-MO,en;q=0.5", "/zh-hant/", "zh-hant"),
        ("zh-Hant", "/zh-hant/", "zh-hant"),
        ("zh-Hant-HK", "/zh-hant/", "zh-hant"),
        ("yue-HK", "/zh-hant/", "zh-hant"),
        ("zh-CN", "/zh-hans/", "zh-hans"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "/zh-hans/", "zh-hans"),
        ("zh-SG", "/zh-hans/", "zh-hans"),
        ("zh-Hans-HK", "/zh-hans/", "zh-hans"),
        ("zh", "/zh-hans/", "zh-hans"),
        ("en", "/", "en"),
        ("en-GB,zh-TW;q=0.5", "/", "en"),
        ("fr-FR,fr;q=0.9", "/", "en"),
        ("fr,zh-TW;q=0.5", "/zh-hant/", "zh-hant"),
        (None, "/", "en"),
    ],
)
def test_a_first_visit_to_the_root_lands_in_the_browsers_language(
    client, accept_language, landing, html_lang
):
    response = _landing(client, accept_language)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == landing
    assert f'<html lang="{html_lang}">' in response.content.decode()


def test_the_redirect_and_the_english_root_say_they_vary_by_language_and_cookie(client):
    redirect = client.get("/", headers={"Accept-Language": "zh-TW"})
    english = client.get("/", headers={"Accept-Language": "en"})

    assert redirect.status_code == 302
    assert redirect["Location"] == "/zh-hant/"
    for response in (redirect, english):
        vary = {part.strip().lower() for part in response["Vary"].split(",")}
        assert {"accept-language", "cookie"} <= vary


def test_pages_with_a_language_prefix_never_vary_by_language(client, open_petition):
    for path in ("/zh-hant/", "/zh-hans/", f"/zh-hant/petitions/{open_petition.slug}/"):
        response = client.get(path, headers={"Accept-Language": "en"})

        assert response.status_code == 200
        assert "accept-language" not in response.get("Vary", "").lower()


def test_choosing_english_in_the_switcher_keeps_a_chinese_browser_in_english(client):
    chinese = {"Accept-Language": "zh-TW,zh;q=0.9"}
    page = client.get("/zh-hant/", headers=chinese)
    english_link = dict(
        (lang, href) for href, lang in SWITCHER_LINK.findall(page.content.decode())
    )["en"]

    chosen = client.get(english_link, headers=chinese, follow=True)
    later = client.get("/", headers=chinese)

    assert chosen.request["PATH_INFO"] == "/"
    assert '<html lang="en">' in chosen.content.decode()
    assert later.status_code == 200
    assert '<html lang="en">' in later.content.decode()


def test_choosing_simplified_in_the_switcher_wins_over_an_english_browser(client):
    page = client.get("/", headers={"Accept-Language": "en"})
    links = {lang: href for href, lang in SWITCHER_LINK.findall(page.content.decode())}

    client.get(links["zh-hans"])
    later = client.get("/", headers={"Accept-Language": "en"})

    assert later.status_code == 302
    assert later["Location"] == "/zh-hans/"


def test_the_switcher_keeps_the_page_and_remembers_the_choice(client, open_petition):
    page = client.get(f"/petitions/{open_petition.slug}/")
    links = {lang: href for href, lang in SWITCHER_LINK.findall(page.content.decode())}

    response = client.get(links["zh-hant"])

    assert response.status_code == 302
    assert response["Location"] == f"/zh-hant/petitions/{open_petition.slug}/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "zh-hant"
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"]
    assert "no-cache" in response["Cache-Control"]


def test_a_visitor_who_chose_a_language_is_still_served_from_the_page_cache(client, open_petition):
    url = f"/zh-hant/petitions/{open_petition.slug}/"
    client.get(url)  # cached with the count 0
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=7)

    client.get(f"/choose-language{url}")
    seen = client.get(url)

    assert client.cookies["django_language"].value == "zh-hant"
    assert "<strong data-count>0</strong>" in seen.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/choose-language//evil.example/",
        "/choose-language/%2F%2Fevil.example/",
        "/choose-language/%5Cevil.example/",
        "/choose-language/no-such-page/",
        "/choose-language/zh-hant/no-such-page/",
    ],
)
def test_the_switcher_view_only_leads_to_pages_of_this_site(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "django_language" not in response.cookies


def test_every_switcher_link_on_every_public_page_leads_to_that_language_and_remembers_it(
    client, open_petition, closed_petition
):
    """The class: from any public page, in any language, each switcher link lands on a page in
    its language, sets the cookie to it, and leaves `/` in that language afterwards."""
    wrong = {}
    for path in public_page_paths(open_petition, closed_petition):
        page = client.get(path)
        for href, language in SWITCHER_LINK.findall(page.content.decode()):
            chosen = client.get(href)
            landed = client.get(chosen["Location"]) if chosen.status_code == 302 else chosen
            root = client.get("/", headers={"Accept-Language": "fr"}, follow=True)
            if (
                chosen.status_code != 302
                or client.cookies["django_language"].value != language
                or f'<html lang="{language}">' not in landed.content.decode()
                or f'<html lang="{language}">' not in root.content.decode()
            ):
                wrong[f"{path} -> {href}"] = chosen.status_code
    assert wrong == {}


def test_a_malformed_accept_language_header_falls_back_to_english():
    assert browser_language("zh-TW;q=abc,,;;") in ("en", "zh-hant")
    assert browser_language("x" * 600) == "en"
    assert browser_language("*") == "en"
