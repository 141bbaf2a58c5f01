"""A person in a real browser gets past the honeypot and the render-time check."""

import pytest
from playwright.sync_api import Page, expect

from petitions.models import Petition, Signature
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


RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


def test_under_attack_the_proof_of_work_solves_itself_and_breaks_no_csp_rule(
    page: Page, site, open_petition
):
    Petition.objects.filter(pk=open_petition.pk).update(requires_proof_of_work=True)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto(f"{site.url}/petitions/{open_petition.slug}/")

    expect(page.locator("altcha-widget .altcha")).to_have_attribute(
        "data-state", "verified", timeout=20_000
    )
    assert_accessible(page)
    page.get_by_label("Full name").fill("Mei Person")
    page.get_by_label("Email address").fill("mei@example.org")
    page.get_by_label("Country or region").select_option("TW")
    page.wait_for_timeout(2200)
    page.get_by_role("button", name="Sign", exact=True).click()

    expect(page.locator("h1")).to_have_text("Check your email")
    assert Signature.objects.get().status == Signature.Status.PENDING
    assert page.evaluate("() => window.__cspViolations") == []
    assert all(url.startswith(f"{site.url}/") or url.startswith("blob:") for url in requested)
