"""
In a real browser: every page asks only our own origin for anything, and breaks no rule of the
Content-Security-Policy. Violations are caught from the page itself (the
`securitypolicyviolation` event, recorded by a script the browser injects before any of ours).
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page

from tests.conftest import log_browser_in_with_second_factor
from tests.public_pages import ADMIN_PAGES, public_page_paths

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched_page(page: Page, live_server) -> tuple[Page, list[str]]:
    """A page that records every URL it requests and every CSP violation it sees."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    return page, requested


def _visit(page: Page, url: str) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("() => window.__cspViolations")


def _foreign(requested: list[str], origin: str) -> list[str]:
    return [url for url in requested if not url.startswith((f"{origin}/", "data:"))]


def test_public_pages_request_nothing_from_another_origin_and_break_no_csp_rule(
    watched_page, live_server, open_petition, closed_petition
):
    page, requested = watched_page
    paths = public_page_paths(open_petition, closed_petition)

    violations = {path: _visit(page, f"{live_server.url}{path}") for path in paths}

    assert not _foreign(requested, live_server.url)
    assert not {path: found for path, found in violations.items() if found}
    assert len({url for url in requested if url.endswith(".css")}) >= 2  # styles did load


def test_admin_pages_break_no_csp_rule(watched_page, live_server, open_petition):
    page, requested = watched_page
    staff = get_user_model().objects.create_superuser("csp-admin", password="x" * 20)
    log_browser_in_with_second_factor(page, live_server.url, staff)

    paths = [p.format(petition=open_petition.slug) for p in ADMIN_PAGES]
    violations = {path: _visit(page, f"{live_server.url}{path}") for path in paths}

    assert page.url == f"{live_server.url}{paths[-1]}"  # not sent to the login page
    assert not _foreign(requested, live_server.url)
    assert not {path: found for path, found in violations.items() if found}


def test_the_admin_login_page_breaks_no_csp_rule(watched_page, live_server):
    page, requested = watched_page

    violations = _visit(page, f"{live_server.url}/admin/login/")

    assert not violations
    assert not _foreign(requested, live_server.url)


def test_an_inline_script_is_blocked_and_detected(watched_page, live_server):
    """The detector itself works: what the policy forbids is caught, not silently passed."""
    page, _ = watched_page
    _visit(page, f"{live_server.url}/privacy/")

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.append(script);
        }"""
    )

    assert page.evaluate("() => window.__ran") is None
    assert page.evaluate("() => window.__cspViolations")[0].startswith("script-src")
