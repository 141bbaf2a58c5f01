import re

import pytest
from playwright.sync_api import Page, expect

from tests.accessibility import assert_accessible

from .conftest import COALITION_EN, HRIC_2000, import_statements, make_statement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def statement_with_translation(open_petition):
    """A bilingual statement that belongs to a petition (the seeds have no such pair)."""
    english = make_statement(
        slug="joint-call",
        title="Joint call for accountability",
        body="We call for truth, accountability and justice.",
        petition=open_petition,
    )
    make_statement(
        slug="joint-call-zh-hant",
        title="追究責任聯合呼籲",
        language="zh-hant",
        body="我們呼籲真相、問責與正義。",
        original=english,
    )
    return english


def test_reader_reads_in_english_switches_to_chinese_and_reaches_the_petition(
    page: Page, live_server, statement_with_translation, open_petition
):
    page.goto(f"{live_server.url}/archive/")
    page.get_by_role("link", name="Joint call for accountability").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Joint call for accountability")

    page.locator(".statement-versions").get_by_role("link", name="繁體中文").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("追究責任聯合呼籲")
    expect(heading).to_have_attribute("lang", "zh-Hant")
    expect(page.locator(".statement-body")).to_contain_text("我們呼籲真相")

    page.get_by_role("link", name="Sign the petition").click()
    expect(page).to_have_url(re.compile(rf"/petitions/{open_petition.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(open_petition.title_en)


def test_reader_filters_and_searches_without_javascript(browser, live_server):
    import_statements()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    page.goto(f"{live_server.url}/archive/")
    page.get_by_role("combobox", name="Language").select_option("zh-hant")
    page.get_by_role("textbox", name="Search").fill("聲明")
    page.get_by_role("button", name="Search").click()

    expect(
        page.get_by_role("heading", level=2, name=re.compile("1 statement found"))
    ).to_be_visible()
    expect(page.get_by_role("link", name="六四32週年聯合聲明")).to_be_visible()
    expect(page.get_by_role("combobox", name="Language")).to_have_value("zh-hant")
    context.close()


@pytest.mark.parametrize(
    "address",
    [
        "/archive/",
        "/archive/?q=Tiananmen",
        "/archive/?q=nothing-matches-this",
        f"/archive/{COALITION_EN}/",
        f"/archive/{HRIC_2000}/",
        "/zh-hant/archive/?q=聲明",
        "/zh-hant/archive/coalition-statement-june-fourth-2021-zh-hant/",
        "/zh-hans/archive/tibet-network-34th-anniversary-tiananmen-square-massacre/",
    ],
)
def test_archive_pages_have_no_axe_violations(page: Page, live_server, address):
    import_statements()

    page.goto(f"{live_server.url}{address}")

    assert_accessible(page)


def test_archive_list_is_readable_at_360_pixels(page: Page, live_server):
    import_statements()
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(
        f"{live_server.url}/archive/tibet-network-34th-anniversary-tiananmen-square-massacre/"
    )

    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360


def test_a_reader_without_javascript_opens_the_full_signatory_list_from_the_index(
    browser, live_server
):
    import_statements()
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 800}
    )
    page = context.new_page()

    page.goto(
        f"{live_server.url}/archive/tibet-network-34th-anniversary-tiananmen-square-massacre/"
    )
    expect(page.locator(".signatory-grid li")).to_have_count(20)
    page.get_by_role("link", name="United States of America (10)").click()

    expect(page).to_have_url(re.compile(r"\?signatories=all#signatories-us$"))
    expect(page.locator(".statement-signatories .signatory-list li")).to_have_count(121)
    expect(page.get_by_role("heading", name="United States of America (10)")).to_be_in_viewport()
    expect(page.get_by_text("And 31 organisations whose country is not stated:")).to_be_visible()
    context.close()
