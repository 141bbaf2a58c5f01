"""
The check-your-email page shows the address partly masked, from a short-lived signed cookie set
on the form's redirect: never in a URL, never without the cookie.
"""

import pytest
from django.urls import reverse

from petitions.email_keys import masked_email
from petitions.views import SENT_TO_COOKIE, SENT_TO_MAX_AGE

from .conftest import VALID_SIGNER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("email", "shown"),
    [
        ("ann@example.org", "a•••@example.org"),
        ("Ann.Example@Example.org", "A•••@Example.org"),
        ("ann+petitions@example.org", "a•••@example.org"),
        ("a@example.org", "•••@example.org"),
        ("ab@example.org", "a•••@example.org"),
        ("  ann@example.org ", "a•••@example.org"),
        ("用户@例子.中国", "用•••@例子.中国"),
        ("bob@xn--fiqs8s.xn--fiqz9s", "b•••@中国.中國"),
        ("e\u0301mile@example.fr", "é•••@example.fr"),
        ("e\u0301@example.fr", "•••@example.fr"),
        ('"a@b"@example.org', '"•••@example.org'),
    ],
)
def test_the_masking_rule(email, shown):
    assert masked_email(email) == shown


def test_the_mask_never_tells_the_hidden_parts_length():
    assert masked_email("al@example.org") == masked_email("alexandra.long+tag@example.org")


def _sign(client, petition, capture, prefix="", **overrides):
    with capture(execute=True):
        return client.post(
            prefix + reverse("petitions:sign", kwargs={"slug": petition.slug}),
            {**VALID_SIGNER, **overrides},
        )


def test_the_check_email_page_shows_the_address_masked_with_a_way_to_change_it(
    client, open_petition, django_capture_on_commit_callbacks
):
    response = _sign(client, open_petition, django_capture_on_commit_callbacks)
    page = client.get(response["Location"]).content.decode()

    assert "a•••@example.org" in page
    assert "ann@example.org" not in page
    assert "Not right? Change it" in page
    assert f'href="/petitions/{open_petition.slug}/#sign-form"' in page


def test_the_address_is_in_no_url_and_the_cookie_is_scoped_short_and_unreadable_by_scripts(
    client, open_petition, django_capture_on_commit_callbacks
):
    response = _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert "ann" not in response["Location"]
    assert "example.org" not in response["Location"]
    assert (
        len([n for n in response.cookies if n.startswith(SENT_TO_COOKIE)]) == 3
    )  # one for each language's version of the page
    cookie = response.cookies[f"{SENT_TO_COOKIE}_en"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == SENT_TO_MAX_AGE <= 15 * 60
    page = f"/petitions/{open_petition.slug}/check-your-email/"
    # The test client sends every cookie whatever its path; a browser only to the path's page.
    assert {c["path"] for c in response.cookies.values()} == {
        page,
        f"/zh-hant{page}",
        f"/zh-hans{page}",
    }
    assert "ann" not in cookie.value
    assert "example.org" not in cookie.value


def test_each_language_version_of_the_page_gets_the_cookie(
    client, open_petition, django_capture_on_commit_callbacks
):
    _sign(client, open_petition, django_capture_on_commit_callbacks)

    for prefix in ["", "/zh-hant", "/zh-hans"]:
        page = client.get(f"{prefix}/petitions/{open_petition.slug}/check-your-email/")
        assert "a•••@example.org" in page.content.decode()


def test_without_the_cookie_the_page_has_the_generic_wording(client, open_petition):
    page = client.get(reverse("petitions:check-email", kwargs={"slug": open_petition.slug}))

    content = page.content.decode()
    assert "We have sent a confirmation link to the address you gave." in content
    assert "•••" not in content
    assert "Not right?" not in content


def test_a_forged_cookie_shows_nothing(client, open_petition):
    client.cookies[f"{SENT_TO_COOKIE}_en"] = "victim@example.org"

    page = client.get(reverse("petitions:check-email", kwargs={"slug": open_petition.slug}))

    assert "victim" not in page.content.decode()


def test_an_expired_cookie_shows_nothing(
    client, open_petition, django_capture_on_commit_callbacks, monkeypatch
):
    import time

    response = _sign(client, open_petition, django_capture_on_commit_callbacks)
    later = time.time() + SENT_TO_MAX_AGE + 1
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)

    page = client.get(response["Location"])

    assert "•••" not in page.content.decode()


def test_the_page_showing_the_address_is_never_cached(
    client, open_petition, django_capture_on_commit_callbacks
):
    response = _sign(client, open_petition, django_capture_on_commit_callbacks)

    page = client.get(response["Location"])

    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]


def test_a_form_with_errors_sets_no_cookie(client, open_petition):
    response = client.post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
        {**VALID_SIGNER, "full_name": ""},
    )

    assert not [name for name in response.cookies if name.startswith(SENT_TO_COOKIE)]


def test_the_address_reaches_no_log_line(
    client, open_petition, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level("DEBUG")
    response = _sign(client, open_petition, django_capture_on_commit_callbacks)
    client.get(response["Location"])

    assert "•••" not in caplog.text
    assert "ann@" not in caplog.text
