"""Staff approve and reject endorsements in the admin; the contact is told in their language."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from petitions.models import Endorsement, Petition

from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:petitions_endorsement_changelist")


@pytest.fixture
def endorsable(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    open_petition.refresh_from_db()
    return open_petition


@pytest.fixture
def act(admin_client, django_capture_on_commit_callbacks):
    """Run an admin action as staff would, and the mail it queues after its commit."""

    def act(action: str, endorsements: list[Endorsement], **extra: str):
        data = {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in endorsements], **extra}
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post(CHANGELIST, data)

    return act


def test_the_changelist_shows_the_queue_and_the_flags(admin_client, endorsable):
    make_endorsement(endorsable, "Flagged Friends", has_free_mail_contact=True)
    make_endorsement(endorsable, "Quiet Group")

    response = admin_client.get(CHANGELIST, {"queue": "flagged"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Flagged Friends" in content
    assert "Quiet Group" not in content
    assert "free-mail contact for an organisation with its own domain" in content.lower()


def test_approving_publishes_counts_and_tells_the_contact(act, admin_user, endorsable, mailoutbox):
    endorsement = make_endorsement(endorsable, "Approved Alliance", email="a@alliance.example")

    act("approve_selected", [endorsement])

    endorsement.refresh_from_db()
    endorsable.refresh_from_db()
    assert endorsement.status == Endorsement.Status.APPROVED
    assert endorsement.moderated_by == admin_user
    assert endorsement.moderated_at is not None
    assert endorsable.endorsement_count == 1
    (message,) = mailoutbox
    assert message.to == ["a@alliance.example"]
    assert message.subject.startswith("Your organisation's endorsement is published")
    assert "Approved Alliance" in message.body


def test_rejecting_asks_for_a_reason_first(act, endorsable, mailoutbox):
    endorsement = make_endorsement(endorsable)

    response = act("reject_selected", [endorsement])

    assert response.status_code == 200
    assert "Reason for rejection" in response.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.AWAITING_APPROVAL
    assert mailoutbox == []


def test_rejecting_with_a_reason_tells_the_contact_in_their_language(act, endorsable, mailoutbox):
    endorsement = make_endorsement(endorsable, language="zh-hant")

    act("reject_selected", [endorsement], reason="We could not verify the organisation.")

    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.REJECTED
    assert endorsement.rejection_reason == "We could not verify the organisation."
    (message,) = mailoutbox
    assert "We could not verify the organisation." in message.body
    assert "Your organisation" not in message.subject  # in Chinese, not English
    assert "開放檔案" in message.subject  # the petition's Traditional Chinese title


def test_rejecting_writes_an_admin_history_entry_naming_the_staff_member_and_reason(
    act, admin_client, admin_user, endorsable
):
    endorsement = make_endorsement(endorsable, "Rejected Circle")
    reason = "We could not verify the organisation."

    act("reject_selected", [endorsement], reason=reason)

    entry = LogEntry.objects.get()
    assert entry.user == admin_user
    assert entry.action_flag == CHANGE
    assert entry.get_edited_object() == endorsement
    assert entry.change_message == f"Rejected the endorsement: {reason}"
    # And on the endorsement's history page, where staff look it up.
    history = admin_client.get(
        reverse("admin:petitions_endorsement_history", args=[endorsement.pk])
    ).content.decode()
    assert re.findall(r"<td>(.*?)</td>\s*<td>(.*?)</td>", history) == [
        (admin_user.get_username(), f"Rejected the endorsement: {reason}")
    ]


def test_an_approval_mail_is_in_simplified_chinese_for_a_simplified_chinese_contact(
    act, endorsable, mailoutbox
):
    endorsement = make_endorsement(endorsable, language="zh-hans")

    act("approve_selected", [endorsement])

    (message,) = mailoutbox
    assert "开放档案" in message.subject
    assert "Your organisation" not in message.subject


def test_rejecting_an_approved_endorsement_takes_it_off_the_count(act, endorsable):
    endorsement = make_endorsement(endorsable)
    act("approve_selected", [endorsement])

    act("reject_selected", [endorsement], reason="Withdrawn by the organisation.")

    endorsable.refresh_from_db()
    assert endorsable.endorsement_count == 0


def test_staff_cannot_add_endorsements_by_hand(admin_client):
    response = admin_client.get(reverse("admin:petitions_endorsement_add"))

    assert response.status_code == 403


def test_the_organisation_admin_finds_a_look_alike_spelling(admin_client, endorsable):
    make_endorsement(endorsable, "Amnesty Example")

    response = admin_client.get(
        reverse("admin:petitions_organisation_changelist"), {"q": "\u0410mnesty"}
    )

    assert "Amnesty Example" in response.content.decode()


def test_the_changelist_runs_a_fixed_number_of_queries(
    admin_client, endorsable, django_assert_max_num_queries
):
    for _ in range(15):
        make_endorsement(endorsable)

    with django_assert_max_num_queries(15):
        admin_client.get(CHANGELIST)


def test_an_endorsement_its_contact_has_not_confirmed_cannot_be_approved(act, endorsable):
    endorsement = make_endorsement(endorsable, status=Endorsement.Status.PENDING)

    act("approve_selected", [endorsement])

    endorsement.refresh_from_db()
    assert endorsement.status == Endorsement.Status.PENDING


def test_the_change_page_shows_staff_the_flags_and_what_was_typed(admin_client, endorsable):
    endorsement = make_endorsement(
        endorsable, has_matched_existing_organisation=True, submitted_name="\u0410mnesty"
    )

    response = admin_client.get(
        reverse("admin:petitions_endorsement_change", args=[endorsement.pk])
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Flags for review" in content
    assert "Matched an existing organisation" in content
    assert "\u0410mnesty" in content
