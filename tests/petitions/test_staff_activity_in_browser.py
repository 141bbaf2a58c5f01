"""
The staff activity page in chromium, filtered and not, at a phone's and a desk's width: axe-core
finds nothing, and the filters work without JavaScript. (The admin speaks English only: its
addresses carry no language prefix.)
"""

import os
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE
from django.utils import timezone
from playwright.sync_api import Page

from petitions.admin_history import log_history
from petitions.models import ExportRecord
from tests.accessibility import assert_accessible
from tests.conftest import log_browser_in_with_second_factor

from .conftest import make_signature

pytestmark = pytest.mark.django_db(transaction=True)

# Set to a folder to keep a screenshot of each page checked (for a person to look at).
SHOTS = os.environ.get("STAFF_ACTIVITY_SHOTS")


@pytest.fixture
def activity(open_petition, admin_user):
    signature = make_signature(open_petition, status="suspected", full_name="Wen Li")
    log_history(admin_user.pk, [signature], CHANGE, "Rejected the signature.")
    log_history(
        admin_user.pk,
        [open_petition],
        CHANGE,
        "Bulk invalidation: rejected 12 signatures matching email domain spam.example.",
    )
    ExportRecord.objects.create(
        kind="signatures",
        exported_by=admin_user,
        exported_by_username=admin_user.username,
        petition_slug=open_petition.slug,
        row_count=15,
        outcome="complete",
        finished_at=timezone.now(),
    )


@pytest.fixture
def site(live_server, settings):
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    return live_server


@pytest.mark.parametrize("width", [1280, 360])
def test_the_staff_activity_page_has_no_axe_violations(
    page: Page, site, activity, admin_user, width
):
    page.set_viewport_size({"width": width, "height": 900})
    log_browser_in_with_second_factor(page, site.url, admin_user)
    page.goto(f"{site.url}/admin/")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/admin-index-{width}.png")
    page.locator(".dashboard-staff-activity a").click()

    assert page.locator("#staff-activity tbody tr").count() == 3
    assert "Wen Li" not in page.content()
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/staff-activity-{width}.png", full_page=True)

    page.select_option("#id_kind", "export")
    page.locator(".submit-row input[type=submit]").click()

    assert page.locator("#staff-activity tbody tr").count() == 1
    page.fill("#id_since", "2030-01-02")
    page.fill("#id_until", "2030-01-01")
    page.locator(".submit-row input[type=submit]").click()

    assert page.locator("[role=alert]").count() == 1
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/staff-activity-error-{width}.png", full_page=True)
