"""
The dashboard in chromium, as a superuser and as a moderator: the country table's headings read
across (not one letter per line), and axe-core finds nothing on the page.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from petitions.counting import count_signatures
from petitions.models import CountryTally
from petitions.staff_groups import MODERATORS
from tests.accessibility import assert_accessible
from tests.conftest import log_browser_in_with_second_factor

from .conftest import make_signature
from .staff_helpers import staff_in

pytestmark = pytest.mark.django_db(transaction=True)

# How many lines a heading cell's text takes, and its height without padding against two lines.
HEADING_LINES = """th => {
    const range = document.createRange();
    range.selectNodeContents(th);
    const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
    const style = getComputedStyle(th);
    const lineHeight = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
    const height = th.getBoundingClientRect().height
        - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return {lines: lines.size, height, lineHeight, text: th.textContent.trim()};
}"""


@pytest.fixture
def campaign(open_petition, closed_petition):
    """Signatures over the last weeks from a few countries, and a closed petition's tallies."""
    now = timezone.now()
    for days_ago, country in [(0, "TW"), (1, "HK"), (1, "HK"), (3, "GB"), (9, "US"), (20, "TW")]:
        make_signature(
            open_petition,
            status="confirmed",
            confirmed_at=now - timedelta(days=days_ago),
            country=country,
        )
    count_signatures()
    CountryTally.objects.bulk_create(
        CountryTally(petition=closed_petition, country=code, signature_count=count)
        for code, count in [("HK", 80), ("TW", 40), ("GB", 20)]
    )


@pytest.fixture
def site(live_server, settings):
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    return live_server


def _open_dashboard(page: Page, site, user, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    log_browser_in_with_second_factor(page, site.url, user)
    page.goto(f"{site.url}/admin/")


def test_the_country_headings_read_across_in_at_most_two_lines(
    page: Page, site, campaign, admin_user
):
    _open_dashboard(page, site, admin_user, 1280)

    headings = page.locator(".dashboard-countries thead th")
    assert headings.count() == 6  # country, signatures, share, for each of two petitions
    for i in range(headings.count()):
        measured = headings.nth(i).evaluate(HEADING_LINES)
        assert measured["lines"] <= 2, measured
        assert measured["height"] <= 2 * measured["lineHeight"] + 1, measured


@pytest.mark.parametrize("width", [1280, 360])
def test_a_superusers_dashboard_has_no_axe_violations(
    page: Page, site, campaign, admin_user, width
):
    _open_dashboard(page, site, admin_user, width)
    page.locator(".dashboard-figures summary").first.click()  # the table behind the chart too

    assert_accessible(page)


def test_a_moderators_dashboard_has_no_axe_violations(page: Page, site, campaign):
    _open_dashboard(page, site, staff_in(MODERATORS, "mona-moderator"), 1280)

    assert page.locator(".dashboard-chart").count() == 1
    assert_accessible(page)
