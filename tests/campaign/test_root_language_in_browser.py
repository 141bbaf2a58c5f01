"""In chromium at 360 px: a Chinese browser lands in its script; choosing English sticks."""

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize(
    ("accept_language", "landing", "heading_language"),
    [
        ("zh-TW,zh;q=0.9", "/zh-hant/", "zh-hant"),
        ("zh-HK,zh;q=0.9,en;q=0.8", "/zh-hant/", "zh-hant"),
        ("zh-CN,zh;q=0.9", "/zh-hans/", "zh-hans"),
        ("en-US,en;q=0.9", "/", "en"),
    ],
)
def test_a_browser_lands_on_the_home_page_in_its_language(
    browser: Browser, live_server, open_petition, accept_language, landing, heading_language
):
    context = browser.new_context(
        viewport=PHONE, extra_http_headers={"Accept-Language": accept_language}
    )
    page = context.new_page()

    page.goto(f"{live_server.url}/")

    assert page.url == f"{live_server.url}{landing}"
    assert page.locator("html").get_attribute("lang") == heading_language
    context.close()


def test_choosing_english_in_a_chinese_browser_sticks(
    browser: Browser, live_server, open_petition
):
    context = browser.new_context(
        viewport=PHONE, extra_http_headers={"Accept-Language": "zh-TW,zh;q=0.9"}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/")

    page.get_by_role("link", name="English").click()
    page.goto(f"{live_server.url}/")

    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
