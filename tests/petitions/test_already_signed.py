"""
Signing again with an address that already confirmed: a mail "you have already signed" (share,
or withdraw), at most one a day, and the very same screen as a first signature.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from petitions.models import MAX_CONFIRMATION_MAILS, Signature
from petitions.tasks import send_owed_confirmation_mails

from .conftest import VALID_SIGNER, make_signature

pytestmark = pytest.mark.django_db


def _sign(client, petition, capture, prefix="", **overrides):
    with capture(execute=True):
        return client.post(
            f"{prefix}{reverse('petitions:sign', kwargs={'slug': petition.slug})}",
            {**VALID_SIGNER, **overrides},
        )


@pytest.fixture
def confirmed(open_petition):
    return make_signature(
        open_petition,
        email="ann@example.org",
        full_name="Ann Example",
        status=Signature.Status.CONFIRMED,
        language="en",
    )


def test_a_confirmed_signer_who_signs_again_is_told_so_with_share_and_withdraw_links(
    client, open_petition, confirmed, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://petition.example.org"

    _sign(client, open_petition, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert message.to == ["ann@example.org"]
    assert message.subject == "You have already signed: Open the archives"
    assert "You have already signed it" in message.body
    assert f"https://petition.example.org/petitions/{open_petition.slug}/" in message.body
    assert "https://petition.example.org/petitions/withdraw/" in message.body
    assert "/confirm/" not in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "/petitions/withdraw/" in html


def test_the_withdraw_link_in_it_withdraws_that_signature(
    client, open_petition, confirmed, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://petition.example.org"
    _sign(client, open_petition, django_capture_on_commit_callbacks)
    link = next(w for w in mailoutbox[0].body.split() if "/withdraw/" in w)

    client.post(link.removeprefix("https://petition.example.org"))

    confirmed.refresh_from_db()
    assert confirmed.status == Signature.Status.WITHDRAWN


def test_at_most_one_such_mail_a_day(
    client, open_petition, confirmed, mailoutbox, django_capture_on_commit_callbacks
):
    for _ in range(4):
        _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    # A day later, another one.
    Signature.objects.filter(pk=confirmed.pk).update(
        already_signed_mail_requested_at=timezone.now() - timedelta(days=1, seconds=1)
    )
    _sign(client, open_petition, django_capture_on_commit_callbacks)
    _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 2


def test_the_daily_limit_holds_even_while_the_mail_is_still_owed(
    client, open_petition, confirmed, mailoutbox, django_capture_on_commit_callbacks
):
    # Three submissions before any job runs: one mail owed, one sent.
    for _ in range(3):
        client.post(reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER)

    assert Signature.objects.awaiting_already_signed_mail().count() == 1
    send_owed_confirmation_mails.call()
    send_owed_confirmation_mails.call()
    assert len(mailoutbox) == 1


def test_it_is_in_the_language_the_signer_signed_in_not_the_resubmissions(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    signature = make_signature(
        open_petition,
        email="ann@example.org",
        status=Signature.Status.CONFIRMED,
        language="zh-hant",
    )

    _sign(client, open_petition, django_capture_on_commit_callbacks, prefix="")

    (message,) = mailoutbox
    assert "/zh-hant/petitions/withdraw/" in message.body
    signature.refresh_from_db()
    assert signature.language == "zh-hant"


def test_signing_again_changes_nothing_else_of_the_confirmed_signature(
    client, open_petition, confirmed, django_capture_on_commit_callbacks
):
    before = Signature.objects.values().get(pk=confirmed.pk)

    _sign(
        client,
        open_petition,
        django_capture_on_commit_callbacks,
        full_name="Someone Else",
        country="FR",
        show_name_publicly="on",
    )

    after = Signature.objects.values().get(pk=confirmed.pk)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"already_signed_mail_requested_at"}
    assert after["status"] == Signature.Status.CONFIRMED


def test_the_screen_is_the_same_as_for_a_first_signature(
    client, open_petition, django_capture_on_commit_callbacks
):
    first = _sign(client, open_petition, django_capture_on_commit_callbacks)
    first_page = client.get(first["Location"])
    Signature.objects.get().confirm()
    client.cookies.clear()

    again = _sign(client, open_petition, django_capture_on_commit_callbacks)
    again_page = client.get(again["Location"])

    assert (again.status_code, again["Location"]) == (first.status_code, first["Location"])
    assert sorted(again.headers) == sorted(first.headers)
    assert again_page.content == first_page.content


def test_a_withdrawn_signers_address_signs_anew_and_gets_a_confirmation(
    client, open_petition, confirmed, mailoutbox, django_capture_on_commit_callbacks
):
    confirmed.withdraw()

    _sign(client, open_petition, django_capture_on_commit_callbacks)

    (message,) = mailoutbox
    assert message.subject.startswith("Please confirm your signature")


def test_a_set_aside_submission_asks_for_no_mail(
    client, open_petition, confirmed, mailoutbox, django_capture_on_commit_callbacks
):
    # The honeypot filled: the submission is suspected, and changes nothing.
    _sign(client, open_petition, django_capture_on_commit_callbacks, homepage="x")

    assert mailoutbox == []
    confirmed.refresh_from_db()
    assert confirmed.already_signed_mail_requested_at is None


def test_a_pending_signer_who_signs_again_gets_the_confirmation_again_within_its_limit(
    client, open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    # Unconfirmed, the address's owner has not proved it is theirs: the confirmation link
    # is sent again (MAX_CONFIRMATION_MAILS in all), never an "already signed" mail.
    for _ in range(MAX_CONFIRMATION_MAILS + 2):
        _sign(client, open_petition, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == MAX_CONFIRMATION_MAILS
    assert {m.subject for m in mailoutbox} == {"Please confirm your signature: Open the archives"}
    assert Signature.objects.get().status == Signature.Status.PENDING


def test_with_the_mail_server_down_it_stays_owed_and_goes_out_once_it_is_back(
    client, open_petition, confirmed, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    client.post(reverse("petitions:sign", kwargs={"slug": open_petition.slug}), VALID_SIGNER)
    with pytest.raises(OSError):  # in-process jobs raise; a job queue retries (tasks.py)
        send_owed_confirmation_mails.call()
    assert Signature.objects.awaiting_already_signed_mail().count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_owed_confirmation_mails.call() == 1
    send_owed_confirmation_mails.call()

    assert len(mailoutbox) == 1
    assert not Signature.objects.awaiting_already_signed_mail().exists()


def test_an_owed_mail_left_by_a_dead_worker_is_queued_again_by_cron(
    open_petition, confirmed, mailoutbox
):
    Signature.objects.filter(pk=confirmed.pk).update(
        is_owed_already_signed_mail=True,
        already_signed_mail_requested_at=timezone.now() - timedelta(minutes=30),
    )

    call_command("queue_confirmation_mails", stdout=io.StringIO())

    assert len(mailoutbox) == 1
