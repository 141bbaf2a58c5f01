"""
Every public page (tests/public_pages.py), in each of the three languages: axe-core finds no
violation at a phone's 360 px and a desktop's 1280 px, and the Nu validator finds no error.

The pages carry what a busy petition shows (public signers with comments, endorsing
organisations, a statement with signatories), so the lists are audited too, not just empty states.
"""

import re

import pytest
from playwright.sync_api import Browser, Page

from petitions.counting import count_signatures
from petitions.models import Endorsement, Signature
from tests.accessibility import axe_violations, describe
from tests.archive.html_validation import html_errors
from tests.petitions.conftest import make_signature
from tests.petitions.endorsement_helpers import make_endorsement
from tests.public_pages import PUBLIC_PAGES, public_page_paths

LANGUAGE_PREFIXES = ["", "/zh-hant", "/zh-hans"]
WIDTHS = [360, 1280]
LANGUAGE_PREFIX = re.compile(r"^/zh-han[st](?=/)")

# Each page of the list once, without its language prefix (the list names a few pages in
# Chinese too): every one is audited in all three languages.
PAGES = list(dict.fromkeys(LANGUAGE_PREFIX.sub("", path) for path in PUBLIC_PAGES))


def _busy_site(open_petition, closed_petition) -> dict[str, str]:
    """{page of PUBLIC_PAGES, unprefixed: its path}, on a petition with signers and supporters."""
    make_signature(
        open_petition,
        status=Signature.Status.CONFIRMED,
        show_name_publicly=True,
        comment="Never forget.",
        comment_status=Signature.CommentStatus.APPROVED,
    )
    make_signature(open_petition, status=Signature.Status.CONFIRMED, country="HK")
    make_endorsement(open_petition, "Valid Org", status=Endorsement.Status.APPROVED)
    make_endorsement(
        open_petition, "Stateless Org", country="", status=Endorsement.Status.APPROVED
    )
    count_signatures()
    paths = public_page_paths(open_petition, closed_petition)
    return {
        LANGUAGE_PREFIX.sub("", template): LANGUAGE_PREFIX.sub("", path)
        for template, path in zip(PUBLIC_PAGES, paths, strict=True)
    }


@pytest.fixture(scope="module")
def audit_page(browser: Browser):
    """One browser page for every audit: a context per test would double the runtime."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page_path", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_public_page_has_no_axe_violations_in_any_language(
    audit_page: Page, live_server, open_petition, closed_petition, width, page_path
):
    path = _busy_site(open_petition, closed_petition)[page_path]
    audit_page.set_viewport_size({"width": width, "height": 800})

    found = {}
    for prefix in LANGUAGE_PREFIXES:
        response = audit_page.goto(f"{live_server.url}{prefix}{path}")
        assert response.status < 500, f"{prefix}{path} answered {response.status}"
        if violations := axe_violations(audit_page):
            found[f"{prefix}{page_path}"] = describe(violations)

    assert not found, "\n".join(f"{page} at {width} px:\n{text}" for page, text in found.items())


@pytest.mark.vnu
@pytest.mark.django_db
def test_every_public_page_is_valid_html_in_every_language(client, open_petition, closed_petition):
    paths = _busy_site(open_petition, closed_petition)
    documents = {
        f"{prefix}{page_path}": client.get(f"{prefix}{path}").content.decode()
        for page_path, path in paths.items()
        for prefix in LANGUAGE_PREFIXES
    }

    assert html_errors(documents) == {}


def test_the_audit_covers_every_public_page_once_per_language():
    assert "/" in PAGES and "/privacy/" in PAGES and "/petitions/{petition}/" in PAGES
    assert not any(path.startswith("/zh-") for path in PAGES)
    assert len(PAGES) == len(set(PAGES))
