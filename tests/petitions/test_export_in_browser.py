"""
The export page in chromium: axe-core finds nothing on it, its summary follows the email box,
and a moderator who opens it gets the staff site's 403 page saying who may export.
"""

import pytest
from playwright.sync_api import Page, expect

from petitions.staff_groups import CAMPAIGN_MANAGERS, MODERATORS
from tests.accessibility import assert_accessible
from tests.conftest import log_browser_in_with_second_factor

from .conftest import make_signature
from .staff_helpers import staff_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    return live_server


def _open_export(page: Page, site, petition, user, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    log_browser_in_with_second_factor(page, site.url, user)
    page.goto(f"{site.url}/admin/petitions/petition/{petition.slug}/export/")


@pytest.mark.parametrize("width", [1280, 360])
def test_the_export_page_has_no_axe_violations(page: Page, site, open_petition, width):
    for _ in range(2):
        make_signature(open_petition, status="confirmed")
    _open_export(page, site, open_petition, staff_in(CAMPAIGN_MANAGERS, "max-manager"), width)

    expect(page.locator(".export-summary:visible")).to_have_text(
        "You are about to export 2 confirmed signatures (no email addresses)."
    )
    assert_accessible(page)


def test_the_summary_follows_the_email_box(page: Page, site, open_petition):
    make_signature(open_petition, status="confirmed")
    _open_export(page, site, open_petition, staff_in(CAMPAIGN_MANAGERS, "max-manager"), 1280)

    page.get_by_label("Include email addresses").check()

    expect(page.locator(".export-summary:visible")).to_have_text(
        "You are about to export 1 confirmed signature (with email addresses)."
    )


def test_the_download_comes_from_the_form(page: Page, site, open_petition):
    make_signature(open_petition, status="confirmed", full_name="丁子霖")
    _open_export(page, site, open_petition, staff_in(CAMPAIGN_MANAGERS, "max-manager"), 1280)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()

    body = download.value.path().read_bytes()
    assert body.startswith(b"\xef\xbb\xbfname,")
    assert "丁子霖" in body.decode("utf-8-sig")


def test_a_moderators_attempt_to_export_gets_an_admin_403_naming_the_permission(
    page: Page, site, open_petition
):
    _open_export(page, site, open_petition, staff_in(MODERATORS, "mona-moderator"), 1280)

    expect(page.locator("#content")).to_contain_text("Can export signature lists")
    expect(page.locator("#content li")).to_have_text(["Campaign managers"])
    assert page.url.endswith(f"/admin/petitions/petition/{open_petition.slug}/export/")
    assert page.locator("#site-name").count() == 1  # the staff site's header, not the public one
    assert_accessible(page)
