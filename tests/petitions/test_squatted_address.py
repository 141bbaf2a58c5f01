"""
Nobody can stop a person from signing by signing first in their name: a suspected or rejected
row holding their address is taken over by their own submission, and their confirmation decides.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from petitions.counting import count_signatures
from petitions.models import CountryTally, Petition, Signature

from .conftest import VALID_SIGNER, links_in, make_signature, path_of

pytestmark = pytest.mark.django_db

SQUATTER = {**VALID_SIGNER, "full_name": "Not Ann", "country": "LI", "comment": "Spam, spam"}


def _sign(petition: Petition, capture, **data: str):
    with capture(execute=True):
        return Client().post(
            reverse("petitions:sign", kwargs={"slug": petition.slug}), {**VALID_SIGNER, **data}
        )


def _confirm_by_mail(message) -> None:
    response = Client().post(path_of(links_in(message)["confirm"], settings.SITE_URL))
    assert response.status_code == 302


def test_a_honeypot_squat_does_not_stop_the_real_person(
    open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    _sign(open_petition, django_capture_on_commit_callbacks, **SQUATTER, homepage="spam")
    assert Signature.objects.get().status == Signature.Status.SUSPECTED
    assert mailoutbox == []

    _sign(open_petition, django_capture_on_commit_callbacks)

    signature = Signature.objects.get()
    assert signature.status == Signature.Status.PENDING
    assert (signature.full_name, signature.country.code, signature.comment) == (
        "Ann Example",
        "GB",
        "",
    )
    assert [message.to for message in mailoutbox] == [["ann@example.org"]]


def test_the_real_person_confirms_a_squatted_address_and_is_counted(
    open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    _sign(open_petition, django_capture_on_commit_callbacks, **SQUATTER, homepage="spam")
    _sign(open_petition, django_capture_on_commit_callbacks)

    _confirm_by_mail(mailoutbox[0])
    count_signatures()

    open_petition.refresh_from_db()
    assert Signature.objects.get().status == Signature.Status.CONFIRMED
    assert open_petition.signature_count == 1
    assert CountryTally.objects.get(petition=open_petition).country.code == "GB"


def test_a_flood_staff_rejected_does_not_stop_the_real_person(
    open_petition, moderator_client, mailoutbox, django_capture_on_commit_callbacks
):
    flood = make_signature(
        open_petition, email="ann@example.org", full_name="Not Ann", confirmation_mails_sent=1
    )
    moderator_client.post(
        reverse("admin:petitions_signature_changelist"),
        {"action": "reject_selected", "_selected_action": [flood.pk]},
    )
    flood.refresh_from_db()
    assert flood.status == Signature.Status.REJECTED

    _sign(open_petition, django_capture_on_commit_callbacks)
    _confirm_by_mail(mailoutbox[-1])

    flood.refresh_from_db()
    assert (flood.status, flood.full_name) == (Signature.Status.CONFIRMED, "Ann Example")
    assert [message.to for message in mailoutbox] == [["ann@example.org"]]


def test_a_rejected_row_still_counted_waits_for_the_counting_job_so_tallies_stay_right(
    open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    squatted = make_signature(
        open_petition, email="ann@example.org", country="LI", status=Signature.Status.CONFIRMED
    )
    count_signatures()
    squatted.reject()

    _sign(open_petition, django_capture_on_commit_callbacks)
    assert mailoutbox == []  # counted still: taking it over now would move the wrong tally

    count_signatures()
    _sign(open_petition, django_capture_on_commit_callbacks)
    _confirm_by_mail(mailoutbox[0])
    count_signatures()

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 1
    tallies = dict(
        CountryTally.objects.filter(petition=open_petition).values_list(
            "country", "signature_count"
        )
    )
    assert tallies == {"LI": 0, "GB": 1}


# Every state a squatter's row can hold an address in: (what happened, the state, whether it
# had been confirmed and counted before).
SQUATTED = [
    (
        "suspected (honeypot, too fast, rate limit, blocked list)",
        Signature.Status.SUSPECTED,
        False,
    ),
    ("suspected after it was confirmed and counted", Signature.Status.SUSPECTED, True),
    ("rejected by staff while pending", Signature.Status.REJECTED, False),
    ("rejected by staff after it was counted", Signature.Status.REJECTED, True),
]


@pytest.mark.parametrize(
    ("how", "state", "counted_before"), SQUATTED, ids=[how for how, *_ in SQUATTED]
)
def test_whatever_blocks_an_address_its_owner_gets_the_mail_and_decides(
    open_petition, how, state, counted_before, mailoutbox, django_capture_on_commit_callbacks
):
    squatted = make_signature(
        open_petition,
        email="Ann@Example.org",
        full_name="Not Ann",
        comment="Spam, spam",
        status=Signature.Status.CONFIRMED if counted_before else Signature.Status.PENDING,
        confirmation_mails_sent=3,
        confirmation_mails_requested=3,
    )
    count_signatures()
    Signature.objects.filter(pk=squatted.pk).update(status=state)
    count_signatures()  # a counted row leaves the totals first

    _sign(open_petition, django_capture_on_commit_callbacks)
    _confirm_by_mail(mailoutbox[0])
    count_signatures()

    squatted.refresh_from_db()
    open_petition.refresh_from_db()
    assert (squatted.status, squatted.full_name, squatted.comment, squatted.email) == (
        Signature.Status.CONFIRMED,
        "Ann Example",
        "",
        "ann@example.org",
    )
    assert open_petition.signature_count == 1
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("state", [Signature.Status.PENDING, Signature.Status.CONFIRMED])
def test_a_flagged_submission_never_takes_over_a_real_signers_row(
    open_petition, state, mailoutbox, django_capture_on_commit_callbacks
):
    real = make_signature(
        open_petition,
        email="ann@example.org",
        full_name="Ann",
        status=state,
        confirmation_mails_sent=1,  # mailed already: only a takeover would owe another
    )

    _sign(open_petition, django_capture_on_commit_callbacks, **SQUATTER, homepage="spam")

    real.refresh_from_db()
    assert (real.status, real.full_name) == (state, "Ann")
    assert mailoutbox == []


def test_a_flagged_submission_does_not_take_back_an_address_its_owner_took_over(
    open_petition, mailoutbox, django_capture_on_commit_callbacks
):
    _sign(open_petition, django_capture_on_commit_callbacks, **SQUATTER, homepage="spam")
    _sign(open_petition, django_capture_on_commit_callbacks)

    _sign(open_petition, django_capture_on_commit_callbacks, **SQUATTER, homepage="spam")

    signature = Signature.objects.get()
    assert (signature.status, signature.full_name) == (Signature.Status.PENDING, "Ann Example")
