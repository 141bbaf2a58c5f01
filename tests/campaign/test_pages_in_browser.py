import pytest

from tests.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-hans"])
def test_home_page_has_no_axe_violations(page, live_server, open_petition, prefix):
    page.goto(f"{live_server.url}{prefix}/")

    assert_accessible(page)


@pytest.mark.parametrize("path", ["/petitions/", "/archive/", "/about/", "/no-such-page/"])
def test_site_pages_have_no_axe_violations(page, live_server, open_petition, path):
    page.goto(f"{live_server.url}{path}")

    assert_accessible(page)


def test_home_page_is_readable_at_360_pixels_wide(page, live_server, open_petition):
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/zh-hant/")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_language_switcher_keeps_the_reader_on_the_same_page(page, live_server, open_petition):
    page.goto(f"{live_server.url}/petitions/{open_petition.slug}/")

    page.get_by_role("link", name="繁體中文").click()

    assert page.url == f"{live_server.url}/zh-hant/petitions/{open_petition.slug}/"
    assert page.locator("h1").inner_text() == "開放檔案"
