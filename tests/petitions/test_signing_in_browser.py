"""
Signing as a person would, in a real browser: open the petition, fill the form, read the mail,
follow its link, press Confirm, see the thank-you page, and see the count go up once the
counting job has run; then withdraw. In English and in Chinese. axe-core checks every page of
the flow, including the form with errors and the pages for expired and broken links.
"""

import re

import pytest
from django.core import signing
from django.core.cache import caches
from django.core.management import call_command
from playwright.sync_api import Page, expect

from petitions.emails import CONFIRM_SALT, make_token
from petitions.models import Signature
from tests.accessibility import assert_accessible

from .conftest import links_in, make_signature

pytestmark = pytest.mark.django_db(transaction=True)

ENGLISH = {
    "prefix": "",
    "name": re.compile(r"^\s*Full name"),
    "email": "Email address",
    "country": "Country or region",
    "show_name": "Show my name on this petition's page",
    "sign": "Sign",
    "check_email": "Check your email",
    "confirm": "Confirm my signature",
    "thank_you": "Thank you for signing",
    "withdraw": "Withdraw my signature",
    "withdrawn": "Signature withdrawn",
    "error_summary": "Your signature was not recorded",
    "subject": "Please confirm your signature",
}
CHINESE = {
    "prefix": "/zh-hant",
    "name": re.compile(r"^\s*姓名"),
    "email": "電郵地址",
    "country": "國家或地區",
    "show_name": "在本請願頁面上顯示我的姓名",
    "sign": "聯署",
    "check_email": "請查收電郵",
    "confirm": "確認我的簽名",
    "thank_you": "感謝您聯署",
    "withdraw": "撤回我的簽名",
    "withdrawn": "簽名已撤回",
    "error_summary": "您的簽名尚未記錄",
    "subject": "請確認您的簽名",
}


@pytest.fixture
def site(live_server, settings, mailoutbox):
    settings.SITE_URL = live_server.url
    # The live server speaks plain HTTP: a Secure CSRF cookie would never come back.
    settings.CSRF_COOKIE_SECURE = False
    # Count only when the job runs, as in production, so the test sees the job do it.
    settings.COUNT_SIGNATURES_INLINE = False
    # A person takes more than FORM_MIN_SECONDS over the form; the test's typing is faster
    # than anyone's, so the minimum comes down to what it types at (petitions/abuse.py).
    settings.FORM_MIN_SECONDS = 0.2
    return live_server


def _count_on_page(page: Page) -> str:
    return page.locator("[data-count]").first.inner_text()


@pytest.mark.parametrize("words", [ENGLISH, CHINESE], ids=["english", "chinese"])
def test_a_person_signs_confirms_by_mail_is_counted_and_withdraws(
    page: Page, site, open_petition, mailoutbox, words
):
    petition_url = f"{site.url}{words['prefix']}/petitions/{open_petition.slug}/"
    page.goto(petition_url)
    assert_accessible(page)
    assert _count_on_page(page) == "0"

    # A first try with the name left out: the error is announced and nothing is stored.
    page.get_by_label(words["email"]).fill("ann@example.org")
    page.get_by_role("button", name=words["sign"], exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(words["error_summary"])
    expect(page.get_by_label(words["name"])).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert not Signature.objects.exists()

    page.get_by_label(words["name"]).fill("Ann Example 安")
    page.get_by_label(words["email"]).fill("Ann@Example.org")
    page.get_by_label(words["country"]).select_option("TW")
    page.get_by_label(words["show_name"]).check()
    page.get_by_role("button", name=words["sign"], exact=True).click()

    expect(page.locator("h1")).to_have_text(words["check_email"])
    # The address partly masked, from the cookie the browser sent to this page alone.
    expect(page.locator(".sent-to")).to_contain_text("A•••@Example.org")
    assert "Example.org" not in page.url
    assert_accessible(page)
    (message,) = mailoutbox
    assert message.to == ["Ann@Example.org"]
    assert words["subject"] in message.subject

    page.goto(links_in(message)["confirm"])
    assert_accessible(page)
    assert Signature.objects.get().status == Signature.Status.PENDING  # opening is not confirming
    page.get_by_role("button", name=words["confirm"]).click()

    expect(page).to_have_title(re.compile(words["thank_you"]))
    assert_accessible(page)

    page.goto(petition_url)
    assert _count_on_page(page) == "0"  # not yet counted
    call_command("count_signatures", verbosity=0, stdout=None)
    caches["local"].clear()  # the page itself is cached for a few seconds (page_cache.py)
    page.reload()
    assert _count_on_page(page) == "1"
    expect(page.locator(".signer-list")).to_contain_text("Ann Example 安")

    page.goto(links_in(message)["withdraw"])
    assert_accessible(page)
    page.get_by_role("button", name=words["withdraw"]).click()
    expect(page.locator("h1")).to_have_text(words["withdrawn"])
    assert_accessible(page)
    call_command("count_signatures", verbosity=0)
    caches["local"].clear()
    page.goto(petition_url)
    assert _count_on_page(page) == "0"
    expect(page.locator("main")).not_to_contain_text("Ann Example")


def test_an_expired_link_page_is_accessible_and_changes_nothing(
    page: Page, site, open_petition, monkeypatch
):
    signature = make_signature(open_petition)
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 30 * 86400)
    token = make_token(signature, CONFIRM_SALT)
    monkeypatch.undo()

    page.goto(f"{site.url}/petitions/confirm/{token}/")

    expect(page.locator("main")).to_contain_text("expired")
    assert_accessible(page)
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_a_broken_link_page_is_accessible(page: Page, site, prefix):
    page.goto(f"{site.url}{prefix}/petitions/confirm/not-a-real-token/")

    assert_accessible(page)


def test_a_closed_petition_page_is_accessible(page: Page, site, closed_petition):
    page.goto(f"{site.url}/petitions/{closed_petition.slug}/")

    expect(page.locator("main")).to_contain_text("closed")
    assert_accessible(page)


def test_the_petition_page_is_readable_at_360_pixels_wide(page: Page, site, open_petition):
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{site.url}/zh-hant/petitions/{open_petition.slug}/")

    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_the_petition_page_works_without_javascript(browser, site, open_petition, mailoutbox):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site.url}/petitions/{open_petition.slug}/")

    page.get_by_label(ENGLISH["name"]).fill("No Script")
    page.get_by_label("Email address").fill("noscript@example.org")
    page.get_by_label("Country or region").select_option("DE")
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.locator("h1")).to_have_text("Check your email")
    assert len(mailoutbox) == 1
    context.close()


def test_with_javascript_the_count_refreshes_without_a_reload(page: Page, site, open_petition):
    page.clock.install()
    page.goto(f"{site.url}/petitions/{open_petition.slug}/")
    make_signature(open_petition, status=Signature.Status.CONFIRMED)
    call_command("count_signatures", verbosity=0)

    page.clock.run_for(61_000)

    expect(page.locator("[data-count]").first).to_have_text("1")
    expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "1")
    # The bar keeps its visible sliver (1 of 500 is 0.2 %), and "N more" follows the count.
    expect(page.locator("[data-progress-fill]")).to_have_attribute("width", "2.5%")
    expect(page.locator("[data-remaining]")).to_have_text("499")
