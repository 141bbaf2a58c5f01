"""
A moderator in a real browser, logged in with the second factor: approves an endorsement and
rejects a comment from the queues; the petition page then shows the one and not the other.
"""

import re

import pytest
from django.core.cache import caches
from playwright.sync_api import Page, expect

from petitions.models import Petition, Signature
from petitions.staff_groups import MODERATORS
from tests.conftest import log_browser_in_with_second_factor

from .conftest import make_signature
from .endorsement_helpers import make_endorsement
from .staff_helpers import staff_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    # The live server speaks plain HTTP: a Secure CSRF cookie would never come back.
    settings.CSRF_COOKIE_SECURE = False
    settings.SESSION_COOKIE_SECURE = False
    return live_server


def _run_action(page: Page, action: str) -> None:
    page.get_by_role("checkbox", name=re.compile("Select this object")).first.check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name=re.compile("^Go$|Run")).click()


def test_a_moderator_approves_an_endorsement_and_rejects_a_comment(
    page: Page, site, open_petition, mailoutbox
):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    make_endorsement(open_petition, "Example Lantern Society", status="awaiting", country="TW")
    spam = make_signature(open_petition, status="confirmed", comment="Cheap watches here")
    moderator = staff_in(MODERATORS, "mona-moderator")
    log_browser_in_with_second_factor(page, site.url, moderator)

    page.goto(f"{site.url}/admin/")
    dashboard = page.locator(".dashboard-queues")
    expect(dashboard).to_contain_text("Endorsements awaiting approval")
    dashboard.get_by_role("link", name="Endorsements awaiting approval").click()
    _run_action(page, "approve_selected")
    expect(page.locator(".messagelist")).to_contain_text("Approved 1 endorsement")

    page.goto(f"{site.url}/admin/")
    page.locator(".dashboard-queues").get_by_role(
        "link", name="Comments awaiting moderation"
    ).click()
    expect(page.locator("#result_list")).to_contain_text(spam.full_name)
    _run_action(page, "reject_comments")
    expect(page.locator(".messagelist")).to_contain_text("Rejected 1 comment")

    spam.refresh_from_db()
    assert spam.comment_status == Signature.CommentStatus.REJECTED
    assert spam.comment_moderated_by == moderator
    page.context.clear_cookies()
    caches["local"].clear()  # the petition page may be served from the page cache for 10 s
    page.goto(f"{site.url}{open_petition.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("Example Lantern Society")
    expect(page.locator("main")).not_to_contain_text("Cheap watches")
