"""
The thank-you page and the printable sheet in a real browser: on a phone the copy-link button
copies the petition's address and says so; without JavaScript it is not there at all, and the
plain share links are. axe-core finds nothing on either page, in every language, on a phone and
on a desktop. The sheet prints on one A4 page.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from petitions.models import Petition
from tests.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def site(live_server, settings, open_petition):
    settings.SITE_URL = live_server.url
    Petition.objects.filter(pk=open_petition.pk).update(
        takes_endorsements=True, signature_count=321
    )
    return live_server


def test_the_copy_link_button_copies_the_petition_address(browser: Browser, site, open_petition):
    context = browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    page.goto(f"{site.url}/petitions/{open_petition.slug}/thank-you/")

    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    page.get_by_role("button", name="Copy link").click()

    # The button keeps its place and says what happened (its accessible name changes with it).
    expect(page.locator(".share-copy")).to_have_text("Link copied")
    expect(page.get_by_role("status")).to_have_text("Link copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == f"{site.url}/petitions/{open_petition.slug}/"
    context.close()


def test_without_javascript_there_is_no_copy_button_and_the_links_work(
    browser: Browser, site, open_petition
):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/petitions/{open_petition.slug}/thank-you/")

    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
    expect(page.get_by_role("button", name="Share…")).to_have_count(0)
    for network in ["Email", "X", "Facebook", "Telegram", "WhatsApp", "LINE"]:
        expect(page.get_by_role("link", name=network, exact=True)).to_be_visible()
    expect(page.get_by_role("textbox", name="The petition’s address")).to_have_value(
        f"{site.url}/petitions/{open_petition.slug}/"
    )
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-hans"])
@pytest.mark.parametrize("path", ["thank-you/", "print/", ""], ids=["thank-you", "sheet", "page"])
def test_the_pages_that_share_a_petition_have_no_axe_violations(
    page: Page, site, open_petition, viewport, prefix, path
):
    page.set_viewport_size(viewport)
    page.goto(f"{site.url}{prefix}/petitions/{open_petition.slug}/{path}")

    assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]


def test_the_sheet_prints_on_one_a4_page_without_the_site_around_it(
    page: Page, site, open_petition
):
    page.goto(f"{site.url}/zh-hant/petitions/{open_petition.slug}/print/")

    pdf = page.pdf(format="A4", print_background=True)
    page.emulate_media(media="print")

    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".sheet-instructions")).to_be_hidden()
    expect(page.locator(".petition-sheet svg.qr-code")).to_be_visible()
    expect(page.locator(".sheet-count")).to_contain_text("321")
