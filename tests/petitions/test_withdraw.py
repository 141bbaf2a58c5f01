import pytest
from django.urls import reverse

from petitions.counting import count_signatures
from petitions.emails import CONFIRM_SALT, WITHDRAW_SALT, make_token
from petitions.models import Signature

from .conftest import VALID_SIGNER, make_signature

pytestmark = pytest.mark.django_db


def _withdraw_url(signature, salt=WITHDRAW_SALT):
    return reverse("petitions:withdraw-signature", kwargs={"token": make_token(signature, salt)})


def test_opening_the_withdraw_link_asks_first_and_changes_nothing(client, open_petition):
    signature = make_signature(open_petition, status=Signature.Status.CONFIRMED)

    response = client.get(_withdraw_url(signature))

    assert response.status_code == 200
    assert "Withdraw my signature" in response.content.decode()
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED


def test_withdrawing_erases_personal_data(client, open_petition):
    signature = make_signature(
        open_petition,
        full_name="Ann Example",
        email="ann@example.org",
        comment="Justice.",
        show_name_publicly=True,
        wants_updates=True,
        status=Signature.Status.CONFIRMED,
    )

    response = client.post(_withdraw_url(signature))

    assert response.status_code == 302
    assert response["Location"] == f"/petitions/{open_petition.slug}/withdrawn/"
    signature.refresh_from_db()
    assert signature.status == Signature.Status.WITHDRAWN
    assert (signature.full_name, signature.email, signature.email_key, signature.comment) == (
        "",
        "",
        None,
        "",
    )
    assert not signature.show_name_publicly
    assert not signature.wants_updates
    assert signature.withdrawn_at is not None


def test_a_withdrawn_signature_stops_counting(client, open_petition, settings):
    settings.COUNT_SIGNATURES_INLINE = False
    signature = make_signature(open_petition, status=Signature.Status.CONFIRMED, country="HK")
    count_signatures()

    client.post(_withdraw_url(signature))
    count_signatures()

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 0
    assert open_petition.country_tallies.get(country="HK").signature_count == 0


def test_withdrawing_twice_is_harmless(client, open_petition):
    signature = make_signature(open_petition, status=Signature.Status.CONFIRMED)
    client.post(_withdraw_url(signature))

    response = client.post(_withdraw_url(signature))

    assert response.status_code == 302


def test_a_person_who_withdrew_can_sign_again(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    signature = make_signature(open_petition, email="ann@example.org")
    signature.withdraw()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER)

    assert Signature.objects.filter(status=Signature.Status.PENDING).count() == 1
    assert len(mailoutbox) == 1


def test_a_confirm_token_cannot_withdraw(client, open_petition):
    signature = make_signature(open_petition, status=Signature.Status.CONFIRMED)

    response = client.post(_withdraw_url(signature, salt=CONFIRM_SALT))

    assert response.status_code == 400
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED
