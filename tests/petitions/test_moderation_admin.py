"""Moderators clear or reject signatures and moderate comments; every action is in the history."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from petitions.counting import count_signatures
from petitions.models import Signature

from .conftest import make_signature
from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:petitions_signature_changelist")


def _act(client, action: str, signatures: list[Signature], capture) -> str:
    data = {"action": action, ACTION_CHECKBOX_NAME: [s.pk for s in signatures]}
    with capture(execute=True):
        response = client.post(CHANGELIST, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _statuses(*signatures: Signature) -> list[str]:
    return [Signature.objects.get(pk=s.pk).status for s in signatures]


def test_rejecting_changes_exactly_the_selected_rows_and_the_count(
    moderator_client, moderator, open_petition, django_capture_on_commit_callbacks
):
    counted = [make_signature(open_petition, status="confirmed") for _ in range(4)]
    count_signatures()
    open_petition.refresh_from_db()
    assert open_petition.signature_count == 4

    page = _act(
        moderator_client, "reject_selected", counted[:2], django_capture_on_commit_callbacks
    )
    count_signatures()

    open_petition.refresh_from_db()
    assert "Rejected 2 signatures." in page
    assert _statuses(*counted) == ["rejected", "rejected", "confirmed", "confirmed"]
    assert open_petition.signature_count == 2
    assert open_petition.country_tallies.get(country="GB").signature_count == 2
    entries = LogEntry.objects.filter(user=moderator).order_by("object_id")
    assert [int(e.object_id) for e in entries] == sorted(s.pk for s in counted[:2])
    assert all(e.get_change_message() == "Rejected the signature." for e in entries)


def test_clearing_a_suspected_signature_confirms_it_if_its_signer_had_confirmed(
    moderator_client, open_petition, django_capture_on_commit_callbacks, mailoutbox
):
    confirmed_then_flagged = make_signature(open_petition, status="confirmed")
    Signature.objects.filter(pk=confirmed_then_flagged.pk).update(status="suspected")
    never_confirmed = make_signature(open_petition, status="suspected")
    untouched = make_signature(open_petition, status="suspected")

    page = _act(
        moderator_client,
        "clear_selected",
        [confirmed_then_flagged, never_confirmed],
        django_capture_on_commit_callbacks,
    )
    count_signatures()

    open_petition.refresh_from_db()
    assert "Cleared 2 signatures." in page
    assert _statuses(confirmed_then_flagged, never_confirmed, untouched) == [
        "confirmed",
        "pending",
        "suspected",
    ]
    assert open_petition.signature_count == 1
    # Only its owner can vouch for an address: the pending one gets its confirmation mail.
    assert [m.to for m in mailoutbox] == [[never_confirmed.email]]
    assert LogEntry.objects.filter(
        object_id=str(never_confirmed.pk)
    ).get().get_change_message() == ("Cleared of suspicion: now Pending confirmation.")


def test_clearing_leaves_a_signature_that_was_not_suspected_alone(
    moderator_client, open_petition, django_capture_on_commit_callbacks
):
    rejected = make_signature(open_petition, status="rejected")

    page = _act(moderator_client, "clear_selected", [rejected], django_capture_on_commit_callbacks)

    assert "Cleared 0 signatures." in page
    assert _statuses(rejected) == ["rejected"]
    assert not LogEntry.objects.exists()


def test_comments_show_publicly_only_once_approved(
    client, moderator_client, moderator, open_petition, django_capture_on_commit_callbacks
):
    named = make_signature(
        open_petition,
        status="confirmed",
        full_name="Wang Dan",
        show_name_publicly=True,
        comment="For my uncle.",
    )
    anonymous = make_signature(
        open_petition,
        status="confirmed",
        full_name="Hidden Person",
        country="TW",
        comment="Never forget.",
    )
    spam = make_signature(open_petition, status="confirmed", comment="Buy cheap watches")
    page = client.get(open_petition.get_absolute_url()).content.decode()
    assert "For my uncle." not in page

    approved = _act(
        moderator_client,
        "approve_comments",
        [named, anonymous],
        django_capture_on_commit_callbacks,
    )
    rejected = _act(
        moderator_client, "reject_comments", [spam], django_capture_on_commit_callbacks
    )
    from django.core.cache import caches

    caches["local"].clear()  # the petition page is cached for a few seconds
    page = client.get(open_petition.get_absolute_url()).content.decode()

    assert "Approved 2 comments." in approved
    assert "Rejected 1 comment." in rejected
    assert "For my uncle." in page
    assert "Wang Dan" in page
    assert "Never forget." in page
    # One signer from Taiwan: fewer than the public tallies show, so the country is not named.
    assert "A signer</figcaption>" in page
    assert "A signer from Taiwan" not in page
    assert "Hidden Person" not in page
    assert "Buy cheap watches" not in page
    spam.refresh_from_db()
    assert (spam.comment_status, spam.comment_moderated_by) == ("rejected", moderator)
    assert LogEntry.objects.filter(user=moderator).count() == 3


def test_an_approved_comment_of_an_unconfirmed_signer_stays_off_the_page(client, open_petition):
    make_signature(open_petition, comment="Pending words", comment_status="approved")

    assert "Pending words" not in client.get(open_petition.get_absolute_url()).content.decode()


def test_the_queues_filter_suspected_signatures_and_waiting_comments(
    moderator_client, open_petition
):
    make_signature(open_petition, full_name="Suspect Sam", status="suspected")
    make_signature(open_petition, full_name="Commenting Chen", comment="Hello")
    make_signature(open_petition, full_name="Quiet Quinn")

    suspected = moderator_client.get(CHANGELIST, {"queue": "suspected"}).content.decode()
    comments = moderator_client.get(CHANGELIST, {"queue": "comments"}).content.decode()
    with_comment = moderator_client.get(CHANGELIST, {"has_comment": "yes"}).content.decode()

    assert "Suspect Sam" in suspected and "Quiet Quinn" not in suspected
    assert "Commenting Chen" in comments and "Suspect Sam" not in comments
    assert "Commenting Chen" in with_comment and "Quiet Quinn" not in with_comment


def test_the_changelist_filters_by_petition_status_and_country(
    moderator_client, open_petition, closed_petition
):
    make_signature(open_petition, full_name="Here Now", country="TW", status="confirmed")
    make_signature(closed_petition, full_name="Elsewhere")

    page = moderator_client.get(
        CHANGELIST,
        {
            "petition__id__exact": open_petition.pk,
            "status__exact": "confirmed",
            "country__exact": "TW",
        },
    ).content.decode()

    assert "Here Now" in page
    assert "Elsewhere" not in page


def test_moderating_endorsements_is_in_the_history_with_the_moderator(
    moderator_client, moderator, open_petition, django_capture_on_commit_callbacks
):
    from petitions.models import Petition

    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    endorsement = make_endorsement(open_petition, status="awaiting")
    data = {"action": "approve_selected", ACTION_CHECKBOX_NAME: [endorsement.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(reverse("admin:petitions_endorsement_changelist"), data)

    entry = LogEntry.objects.get(user=moderator)
    assert entry.object_id == str(endorsement.pk)
    assert entry.get_change_message() == "Approved the endorsement."


def test_the_changelist_runs_a_fixed_number_of_queries(
    moderator_client, open_petition, django_assert_num_queries
):
    for _ in range(5):
        make_signature(open_petition, comment="x")
    moderator_client.get(CHANGELIST)  # session and permissions warmed up identically below

    # Among them the date hierarchy: the first and last dates, then one EXISTS per period.
    with django_assert_num_queries(14) as few:
        moderator_client.get(CHANGELIST)
    for _ in range(40):
        make_signature(open_petition, comment="x")
    with django_assert_num_queries(len(few.captured_queries)):
        moderator_client.get(CHANGELIST)


def test_the_change_form_cannot_confirm_a_signature_or_consent_for_its_signer(
    moderator_client, open_petition
):
    signature = make_signature(open_petition, full_name="Pending Person")
    url = reverse("admin:petitions_signature_change", args=[signature.pk])

    moderator_client.post(
        url,
        {
            "full_name": "Pending Person",
            "country": "GB",
            "comment": "",
            "status": "confirmed",
            "show_name_publicly": "on",
        },
    )

    signature.refresh_from_db()
    assert (signature.status, signature.show_name_publicly) == ("pending", False)


def test_staff_cannot_rewrite_a_signers_name_or_comment(admin_client, open_petition):
    signature = make_signature(open_petition, full_name="Their Own Name", comment="Their words.")
    url = reverse("admin:petitions_signature_change", args=[signature.pk])

    page = admin_client.get(url).content.decode()
    admin_client.post(url, {"full_name": "Rewritten", "comment": "Other words.", "country": "GB"})

    assert 'name="full_name"' not in page and 'name="comment"' not in page
    signature.refresh_from_db()
    assert (signature.full_name, signature.comment) == ("Their Own Name", "Their words.")
