"""
Endorsing as an organisation's contact would, in a real browser: open the petition, follow
"Endorse as an organisation", fill the form (first with a mistake), read the mail, confirm;
then a staff member approves it in the admin, and the organisation appears on the petition
page. axe-core checks every public page of the flow, and the full list of endorsements.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from playwright.sync_api import Page, expect

from petitions.models import Endorsement, Petition
from tests.accessibility import assert_accessible
from tests.conftest import log_browser_in_with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings, mailoutbox):
    settings.SITE_URL = live_server.url
    # The live server speaks plain HTTP: a Secure CSRF cookie would never come back.
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    # The test types faster than any person: the anti-automation minimum comes down to match.
    settings.FORM_MIN_SECONDS = 0.2
    return live_server


def test_a_contact_endorses_confirms_and_staff_approve_in_the_admin(
    page: Page, site, open_petition, mailoutbox
):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    petition_url = f"{site.url}/petitions/{open_petition.slug}/"
    page.goto(petition_url)
    page.get_by_role("link", name="Endorse as an organisation").click()
    expect(page.locator("h1")).to_have_text("Endorse as an organisation")
    assert_accessible(page)

    page.get_by_label("Name of the organisation").fill("Example Lantern Society")
    page.get_by_label("Country or region").select_option("TW")
    page.get_by_label("Website (optional)").fill("javascript:alert(1)")
    page.get_by_label("Kind of organisation").select_option("community")
    page.get_by_label("Your name").fill("Lin Contact")
    page.get_by_label("Your role in the organisation").fill("Secretary")
    page.get_by_label("Your email address").fill("lin@lantern.example.org")
    page.get_by_role("button", name="Endorse", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("The endorsement was not recorded")
    expect(page.get_by_label("Website (optional)")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    assert not Endorsement.objects.exists()

    page.get_by_label("Website (optional)").fill("https://lantern.example.org")
    page.get_by_label(re.compile("I am authorised to endorse")).check()
    page.get_by_role("button", name="Endorse", exact=True).click()

    expect(page.locator("h1")).to_have_text("Check your email")
    assert_accessible(page)
    (message,) = mailoutbox
    confirm_url = next(u for u in re.findall(r"https?://\S+", message.body) if "/confirm/" in u)
    page.goto(confirm_url)
    assert_accessible(page)
    assert Endorsement.objects.get().status == Endorsement.Status.PENDING
    page.get_by_role("button", name="Confirm the endorsement").click()
    expect(page.locator("h1")).to_have_text("Thank you: endorsement confirmed")
    assert_accessible(page)
    assert Endorsement.objects.get().status == Endorsement.Status.AWAITING_APPROVAL

    staff = get_user_model().objects.create_superuser("moderator", "m@example.org", "x")
    log_browser_in_with_second_factor(page, site.url, staff)
    page.goto(f"{site.url}/admin/petitions/endorsement/?queue=awaiting")
    page.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
    page.locator("select[name=action]").select_option("approve_selected")
    page.get_by_role("button", name=re.compile("^Go$|Run")).click()
    expect(page.locator(".messagelist")).to_contain_text("Approved 1 endorsement")
    page.context.clear_cookies()
    assert len(mailoutbox) == 2
    assert "published" in mailoutbox[1].subject

    caches["local"].clear()  # the petition page may be served from the page cache for 10 s
    page.goto(petition_url)
    section = page.locator("section[aria-labelledby=endorsements-heading]")
    expect(section).to_contain_text("Endorsed by 1 organisation")
    expect(section).to_contain_text("Taiwan")
    link = section.get_by_role("link", name="Example Lantern Society")
    expect(link).to_have_attribute("href", "https://lantern.example.org")
    expect(link).to_have_attribute("rel", "nofollow noopener")
    expect(page.locator("main")).not_to_contain_text("Lin Contact")
    assert_accessible(page)  # the petition page with its endorsements shown

    page.goto(f"{petition_url}endorsements/")
    expect(page.locator("main")).to_contain_text("Example Lantern Society")
    assert_accessible(page)


def test_the_endorse_form_in_chinese_is_accessible(page: Page, site, open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)

    page.goto(f"{site.url}/zh-hant/petitions/{open_petition.slug}/endorse/")
    page.get_by_role("button", name="表示支持", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("團體支持尚未記錄")
    assert_accessible(page)
