"""A person in a real browser gets past the honeypot and the render-time check."""

import pytest
from playwright.sync_api import Page, expect

from petitions.models import Signature
from tests.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.CSRF_COOKIE_SECURE = False
    return live_server


def test_a_person_signing_at_human_speed_is_pending_not_suspected(
    page: Page, site, open_petition, settings
):
    page.goto(f"{site.url}/petitions/{open_petition.slug}/")
    # The honeypot is neither seen nor reached with the keyboard, and breaks no axe rule.
    expect(page.locator("input[name=homepage]")).not_to_be_in_viewport()
    assert page.locator("input[name=homepage]").get_attribute("tabindex") == "-1"
    assert_accessible(page)

    page.get_by_label("Full name").fill("Mei Person")
    page.get_by_label("Email address").fill("mei@example.org")
    page.get_by_label("Country or region").select_option("TW")
    page.wait_for_timeout(settings.FORM_MIN_SECONDS * 1000 + 200)  # a person reads, then signs
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.locator("h1")).to_have_text("Check your email")
    assert Signature.objects.get().status == Signature.Status.PENDING


def test_a_script_that_fills_every_field_is_suspected_and_sees_the_same_page(
    page: Page, site, open_petition
):
    page.goto(f"{site.url}/petitions/{open_petition.slug}/")
    page.get_by_label("Full name").fill("Bot")
    page.get_by_label("Email address").fill("bot@example.org")
    page.get_by_label("Country or region").select_option("TW")
    page.locator("input[name=homepage]").fill("https://spam.example")
    page.wait_for_timeout(2500)
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.locator("h1")).to_have_text("Check your email")
    assert Signature.objects.get().status == Signature.Status.SUSPECTED
