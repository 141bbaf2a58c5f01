from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from petitions.emails import CONFIRM_SALT, ENDORSEMENT_CONFIRM_SALT, WITHDRAW_SALT, make_token
from petitions.models import Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db


def _confirm_url(signature, salt=CONFIRM_SALT):
    return reverse("petitions:confirm-signature", kwargs={"token": make_token(signature, salt)})


def test_opening_the_link_shows_a_confirm_button_and_changes_nothing(client, open_petition):
    signature = make_signature(open_petition)

    response = client.get(_confirm_url(signature))

    assert response.status_code == 200
    assert b'<form method="post"' in response.content
    assert "Confirm my signature" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING
    assert signature.confirmed_at is None


def test_pressing_confirm_confirms_and_leads_to_the_thank_you_page(client, open_petition):
    signature = make_signature(open_petition)

    response = client.post(_confirm_url(signature))

    assert response.status_code == 302
    assert response["Location"] == f"/petitions/{open_petition.slug}/thank-you/"
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.confirmed_at is not None


def test_confirming_twice_is_harmless(client, open_petition):
    signature = make_signature(open_petition)
    client.post(_confirm_url(signature))
    signature.refresh_from_db()
    first_confirmed_at = signature.confirmed_at

    response = client.post(_confirm_url(signature))

    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.confirmed_at == first_confirmed_at


def test_the_thank_you_page_has_share_links(client, open_petition):
    response = client.get(reverse("petitions:thank-you", kwargs={"slug": open_petition.slug}))

    content = response.content.decode()
    assert "https://x.com/intent/post?" in content
    assert "https://www.facebook.com/sharer/sharer.php?" in content
    assert "mailto:?" in content
    assert "<script" not in content.split("</footer>")[0].split("<main")[1]


def test_an_expired_link_gets_a_clear_page_and_changes_nothing(
    client, open_petition, settings, monkeypatch
):
    signature = make_signature(open_petition)
    url = _confirm_url(signature)
    later = signing.time.time() + (settings.CONFIRMATION_LINK_MAX_AGE_DAYS + 1) * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.post(url)

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_a_link_just_inside_its_lifetime_still_works(client, open_petition, settings, monkeypatch):
    signature = make_signature(open_petition)
    url = _confirm_url(signature)
    later = (
        signing.time.time()
        + timedelta(days=settings.CONFIRMATION_LINK_MAX_AGE_DAYS - 1).total_seconds()
    )
    monkeypatch.setattr(signing.time, "time", lambda: later)

    client.post(url)

    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:10],
        lambda token: signing.dumps(12345, salt="something-else"),
        lambda token: "not-a-token",
    ],
    ids=["changed", "cut-short", "other-salt", "junk"],
)
def test_a_tampered_link_gets_a_clear_page_and_changes_nothing(client, open_petition, tamper):
    signature = make_signature(open_petition)
    token = make_token(signature, CONFIRM_SALT)

    response = client.post(reverse("petitions:confirm-signature", kwargs={"token": tamper(token)}))

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_a_withdraw_token_cannot_confirm(client, open_petition):
    signature = make_signature(open_petition)

    response = client.post(_confirm_url(signature, salt=WITHDRAW_SALT))

    assert response.status_code == 400
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_a_link_for_a_deleted_signature_says_so(client, open_petition):
    signature = make_signature(open_petition)
    url = _confirm_url(signature)
    signature.delete()

    response = client.post(url)

    assert response.status_code == 404


def test_a_withdrawn_signature_cannot_be_confirmed(client, open_petition):
    signature = make_signature(open_petition)
    signature.withdraw()

    response = client.post(_confirm_url(signature))

    assert response.status_code == 410
    signature.refresh_from_db()
    assert signature.status == Signature.Status.WITHDRAWN


def test_a_pending_signature_of_a_closed_petition_cannot_be_confirmed(client, closed_petition):
    signature = make_signature(closed_petition)

    response = client.post(_confirm_url(signature))

    assert response.status_code == 410
    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING


def test_a_suspected_signature_sees_the_same_thank_you_and_stays_suspected(client, open_petition):
    signature = make_signature(open_petition, status=Signature.Status.SUSPECTED)

    response = client.post(_confirm_url(signature))

    assert response.status_code == 302
    assert response["Location"].endswith("/thank-you/")
    signature.refresh_from_db()
    assert signature.status == Signature.Status.SUSPECTED


def test_confirming_counts_inline_when_configured(
    client, open_petition, settings, django_capture_on_commit_callbacks
):
    settings.COUNT_SIGNATURES_INLINE = True
    signature = make_signature(open_petition, country="TW")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_confirm_url(signature))

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 1
    assert open_petition.country_tallies.get().country == "TW"


def test_confirming_leaves_the_count_to_the_job_when_not_inline(
    client, open_petition, settings, django_capture_on_commit_callbacks
):
    settings.COUNT_SIGNATURES_INLINE = False
    signature = make_signature(open_petition)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_confirm_url(signature))

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 0


@pytest.mark.parametrize("salt", [CONFIRM_SALT, WITHDRAW_SALT, ENDORSEMENT_CONFIRM_SALT])
@pytest.mark.parametrize("value", [True, False, 0, -1, 2**63, 1.0, "1", [1]])
def test_a_signed_token_that_names_no_row_id_is_an_invalid_link(
    client, open_petition, salt, value
):
    # Signed with our key (a leaked or forged one), but not carrying a row id: `True` reached
    # the confirmation's SQL as a boolean and answered 500.
    make_signature(open_petition)
    token = signing.dumps(value, salt=salt)
    route = {
        CONFIRM_SALT: "petitions:confirm-signature",
        WITHDRAW_SALT: "petitions:withdraw-signature",
        ENDORSEMENT_CONFIRM_SALT: "petitions:confirm-endorsement",
    }[salt]

    response = client.post(reverse(route, kwargs={"token": token}))

    assert response.status_code == 400
