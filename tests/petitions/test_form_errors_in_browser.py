"""
A failed submission on a phone (GOV.UK's error summary pattern): the browser lands on the form's
error summary, which has focus, and the page title starts with "Error:" in the page's language,
with or without JavaScript. Every public form: the sign form and the endorse form.
"""

import pytest
from playwright.sync_api import Browser, Page, expect

from petitions.models import Petition
from tests.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
# A petition text as long as a real one, so the form sits far below the first screen.
LONG_TEXT = "\n\n".join(["We ask for the archives of June 1989 to be opened to families."] * 60)

# Per public form: the page holding it, its submit button's name, the title's "Error:".
FORMS = [
    ("/petitions/{slug}/", "Sign", "Error:"),
    ("/zh-hant/petitions/{slug}/", "聯署", "錯誤："),
    ("/zh-hans/petitions/{slug}/", "联署", "错误："),
    ("/petitions/{slug}/endorse/", "Endorse", "Error:"),
    ("/zh-hant/petitions/{slug}/endorse/", "表示支持", "錯誤："),
]


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    # The live server speaks plain HTTP: a Secure CSRF cookie would never come back.
    settings.CSRF_COOKIE_SECURE = False
    return live_server


@pytest.fixture
def long_petition(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(
        text_en=LONG_TEXT, text_zh_hant=LONG_TEXT, text_zh_hans=LONG_TEXT, takes_endorsements=True
    )
    return open_petition


def _submit_empty(page: Page, url: str, button: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(url)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def _assert_lands_on_the_summary(page: Page, title_start: str) -> None:
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    # Once the (smooth, where motion is welcome) scroll to it has settled: its heading whole,
    # and all of it but a sliver (a long list ends a fraction of a pixel below the fold).
    expect(summary.locator("p").first).to_be_in_viewport(ratio=1)
    expect(summary).to_be_in_viewport(ratio=0.99)
    assert page.title().startswith(title_start)


@pytest.mark.parametrize(("path", "button", "title_start"), FORMS)
def test_an_empty_submission_lands_on_the_focused_error_summary(
    page: Page, site, long_petition, path, button, title_start
):
    _submit_empty(page, site.url + path.format(slug=long_petition.slug), button)

    _assert_lands_on_the_summary(page, title_start)
    # Each error links to its field.
    first_link = page.locator("#form-errors a").first
    target = first_link.get_attribute("href")
    first_link.click()
    expect(page.locator(target)).to_be_focused()
    assert_accessible(page)


@pytest.mark.parametrize(("path", "button", "title_start"), FORMS[:1] + FORMS[3:4])
def test_without_javascript_too(browser: Browser, site, long_petition, path, button, title_start):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()

    _submit_empty(page, site.url + path.format(slug=long_petition.slug), button)

    _assert_lands_on_the_summary(page, title_start)
    context.close()


def test_switching_language_on_the_form_with_errors_goes_to_the_form(
    page: Page, site, long_petition
):
    _submit_empty(page, f"{site.url}/petitions/{long_petition.slug}/", "Sign")

    page.get_by_role("link", name="繁體中文").click()

    expect(page).to_have_url(f"{site.url}/zh-hant/petitions/{long_petition.slug}/#sign-form")
    expect(page.get_by_role("heading", name="聯署此請願")).to_be_in_viewport()
