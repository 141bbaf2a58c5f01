import pytest

pytestmark = pytest.mark.django_db


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
    assert f'href="/zh-hant/petitions/{open_petition.slug}/" hreflang="zh-hant"' in html
    assert f'href="/zh-hans/petitions/{open_petition.slug}/" hreflang="zh-hans"' in html


def test_language_switcher_keeps_the_query_string(client):
    response = client.get("/zh-hans/archive/?page=2")

    assert 'href="/archive/?page=2" hreflang="en"' in response.content.decode()


def test_following_a_language_link_shows_the_page_in_that_language(client, open_petition):
    response = client.get(f"/zh-hant/petitions/{open_petition.slug}/")

    assert response.status_code == 200
    assert "開放檔案" in response.content.decode()
