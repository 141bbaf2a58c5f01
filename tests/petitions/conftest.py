"""Helpers for the petition tests: a signature in any state, and the links a mail carries."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone, translation

from petitions import form_stamp
from petitions.email_keys import email_key
from petitions.models import Petition, Signature


def aged_form_stamp(age_seconds: float = 60) -> str:
    """The signed render time of a form rendered `age_seconds` ago (petitions/form_stamp.py)."""
    return signing.dumps(int((time.time() - age_seconds) * 10), salt=form_stamp.SALT)


VALID_SIGNER = {
    "full_name": "Ann Example",
    "email": "ann@example.org",
    "country": "GB",
    "comment": "",
    # A form rendered a minute ago: as a person sends it (the tests run well within its 2 h).
    "rendered_at": aged_form_stamp(),
}

_counter = iter(range(1, 10**9))


def make_signature(petition: Petition, **overrides: object) -> Signature:
    number = next(_counter)
    email = overrides.pop("email", f"signer-{number}@example.org")
    fields = {
        "full_name": f"Signer {number}",
        "email": email,
        "email_key": email_key(email),
        "country": "GB",
        "status": Signature.Status.PENDING,
        **overrides,
    }
    if fields["status"] == Signature.Status.CONFIRMED:
        fields.setdefault("confirmed_at", timezone.now())
    return Signature.objects.create(petition=petition, **fields)


def links_in(message: mail.EmailMessage) -> dict[str, str]:
    """The confirm and withdraw links in a confirmation mail's plain text."""
    urls = re.findall(r"https?://\S+", message.body)
    return {
        "confirm": next(url for url in urls if "/confirm/" in url),
        "withdraw": next(url for url in urls if "/withdraw/" in url),
    }


def path_of(url: str, site_url: str) -> str:
    assert url.startswith(site_url), url
    return url.removeprefix(site_url)


@pytest.fixture
def long_closed(db) -> Petition:
    """A petition that closed a year ago, well past PERSONAL_DATA_RETENTION_DAYS_AFTER_CLOSE."""
    now = timezone.now()
    return Petition.objects.create(
        slug="long-closed",
        status=Petition.Status.CLOSED,
        title_en="Long closed",
        summary_en="Closed a year ago.",
        text_en="Closed.",
        target_en="Someone",
        takes_endorsements=True,
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=365),
    )


@pytest.fixture
def draft_petition(db) -> Petition:
    return Petition.objects.create(
        slug="a-draft",
        status=Petition.Status.DRAFT,
        title_en="Not yet public",
        summary_en="A draft.",
        text_en="Draft text.",
        target_en="Nobody yet",
    )


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request under /zh-hant/ leaves its language active in the thread; start each test
    in English so that `reverse()` in the test builds unprefixed addresses."""
    with translation.override("en"):
        yield


# Staff in each role (Moderators, Campaign managers), logged in with a second factor.
from .staff_helpers import manager, manager_client, moderator, moderator_client  # noqa: E402, F401
