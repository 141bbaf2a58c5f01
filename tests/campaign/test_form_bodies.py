"""
A form body Django cannot read (declared in a charset other than UTF-8, or multipart without a
usable boundary) is a bad request: 400 on every public form and the staff login,
never a 500, whatever cookie comes with it.
"""

import pytest
from django.test import Client

from petitions import emails
from tests.petitions.conftest import make_signature
from tests.petitions.endorsement_helpers import make_endorsement
from tests.public_pages import public_page_paths

pytestmark = pytest.mark.django_db

PART = b'--xx\r\nContent-Disposition: form-data; name="full_name"\r\n\r\nAnna\r\n--xx--\r\n'
UNREADABLE_BODIES = {
    "utf-16": (
        "application/x-www-form-urlencoded; charset=utf-16",
        "full_name=Anna".encode("utf-16"),
    ),
    "utf-16-le": (
        "application/x-www-form-urlencoded; charset=UTF-16LE",
        "a=b".encode("utf-16-le"),
    ),
    "latin-1": ("application/x-www-form-urlencoded; charset=latin-1", b"a=\xe9"),
    "multipart, no boundary": ("multipart/form-data", PART),
    "multipart, empty boundary": ("multipart/form-data; boundary=", PART),
}
# Django reads these as UTF-8 (it ignores a charset it does not know) or as what arrived: the
# CSRF check then refuses them like any other form without a token.
ODD_BUT_READABLE_BODIES = {
    "unknown charset": ("application/x-www-form-urlencoded; charset=no-such-codec", b"a=b"),
    "multipart, unknown charset": (
        "multipart/form-data; boundary=xx; charset=no-such-codec",
        PART,
    ),
    "multipart, cut short": ("multipart/form-data; boundary=xx", PART[:30]),
    "multipart, utf-16": ("multipart/form-data; boundary=xx; charset=utf-16", PART),
    "undecodable bytes": ("application/x-www-form-urlencoded", b"a=%ff%fe&\xff\xfe=1"),
}


@pytest.fixture
def form_targets(open_petition, closed_petition) -> list[str]:
    """Where every public form posts, the staff login, and every public page for good measure."""
    signature = make_signature(open_petition)
    endorsement = make_endorsement(open_petition, status="pending", confirmed_at=None)
    slug = open_petition.slug
    return [
        f"/petitions/{slug}/sign/",
        f"/zh-hant/petitions/{slug}/sign/",
        f"/petitions/{slug}/endorse/",
        f"/petitions/confirm/{emails.make_token(signature, emails.CONFIRM_SALT)}/",
        f"/petitions/withdraw/{emails.make_token(signature, emails.WITHDRAW_SALT)}/",
        "/petitions/endorsement/confirm/"
        f"{emails.make_token(endorsement, emails.ENDORSEMENT_CONFIRM_SALT)}/",
        "/admin/login/",
        *public_page_paths(open_petition, closed_petition),
    ]


def _post(path: str, content_type: str, body: bytes) -> int:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "a" * 32
    return client.generic("POST", path, body, content_type=content_type).status_code


def test_the_admin_login_answers_a_utf_16_form_with_400(client):
    content_type, body = UNREADABLE_BODIES["utf-16"]

    assert _post("/admin/login/", content_type, body) == 400


@pytest.mark.parametrize("kind", UNREADABLE_BODIES)
def test_every_form_answers_an_unreadable_body_with_400(form_targets, kind):
    content_type, body = UNREADABLE_BODIES[kind]

    answers = {path: _post(path, content_type, body) for path in form_targets}

    assert {path: status for path, status in answers.items() if status != 400} == {}


@pytest.mark.parametrize("kind", ODD_BUT_READABLE_BODIES)
def test_no_form_answers_an_odd_body_with_a_server_error(form_targets, kind):
    content_type, body = ODD_BUT_READABLE_BODIES[kind]

    answers = {path: _post(path, content_type, body) for path in form_targets}

    assert {path: status for path, status in answers.items() if status >= 500} == {}


def test_a_readable_form_still_reaches_the_csrf_check(open_petition):
    status = _post(
        f"/petitions/{open_petition.slug}/sign/",
        "application/x-www-form-urlencoded; charset=utf-8",
        b"full_name=Anna",
    )

    assert status == 403
