"""
The staff activity page: every kind of staff action with who, when and what, filtered by the
query string, read by managers and superusers only, and never naming a signer.
"""

from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from petitions import staff_activity
from petitions.admin_history import log_history
from petitions.models import ExportRecord
from tests.archive.html_validation import html_errors

from .conftest import make_signature
from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db

URL = reverse("admin:petitions_staff_activity")
SIGNATURES = reverse("admin:petitions_signature_changelist")
ENDORSEMENTS = reverse("admin:petitions_endorsement_changelist")


def _act(client, changelist: str, action: str, *objects, **extra: str) -> None:
    client.post(
        changelist, {"action": action, "_selected_action": [obj.pk for obj in objects], **extra}
    )


def _rows(response) -> list[tuple[str, str, str, str]]:
    """(who, kind, on, what) of each line shown."""
    return [
        (activity.who, activity.kind_label, activity.subject, activity.description)
        for activity in response.context["page"].object_list
    ]


@pytest.fixture
def every_kind_of_action(moderator_client, manager_client, open_petition):
    """A moderator moderates and invalidates, a manager exports, then an erasure on request."""
    suspect = make_signature(open_petition, status="suspected")
    commented = make_signature(open_petition, status="confirmed", comment="Hello there")
    spam = make_signature(open_petition, email="bot@spam.example", status="confirmed")
    endorsement = make_endorsement(open_petition)
    _act(moderator_client, SIGNATURES, "reject_selected", suspect)
    _act(moderator_client, SIGNATURES, "approve_comments", commented)
    _act(moderator_client, ENDORSEMENTS, "approve_selected", endorsement)
    invalidate = reverse("admin:petitions_signature_invalidate")
    moderator_client.post(invalidate, {"email_domain": "spam.example", "confirm": "1"})
    export = reverse("admin:petitions_petition_export", args=[open_petition.slug])
    b"".join(manager_client.post(export, {"download": "1"}).streaming_content)
    return {"suspect": suspect, "commented": commented, "spam": spam, "endorsement": endorsement}


def test_each_kind_of_action_is_listed_with_who_when_and_what(
    admin_client, every_kind_of_action, open_petition
):
    make_signature(open_petition, email="ask@example.org", status="confirmed")
    admin_client.post(
        reverse("admin:petitions_signature_erase_person"),
        {"email": "ask@example.org", "confirm": "1"},
    )
    suspect = every_kind_of_action["suspect"]
    endorsement = every_kind_of_action["endorsement"]

    response = admin_client.get(URL)

    rows = _rows(response)
    assert response.status_code == 200
    assert (
        "mona-moderator",
        "Moderation",
        f"Signature #{suspect.pk}",
        "Rejected the signature.",
    ) in rows
    assert (
        "mona-moderator",
        "Moderation",
        f"Signature #{every_kind_of_action['commented'].pk}",
        "Approved the comment.",
    ) in rows
    assert (
        "mona-moderator",
        "Moderation",
        f"Endorsement #{endorsement.pk}",
        "Approved the endorsement.",
    ) in rows
    assert any(
        row[:3] == ("mona-moderator", "Bulk invalidation", str(open_petition))
        and "rejected 1 signatures" in row[3]
        for row in rows
    )
    assert ("max-manager", "Export", open_petition.slug, "Signatures: 1 row (Complete).") in rows
    assert any(row[1] == "Erasure" and row[0] == "admin" for row in rows)
    # Newest first: the erasure was the last thing done.
    assert rows[0][1] == "Erasure"
    times = [activity.when for activity in response.context["page"].object_list]
    assert times == sorted(times, reverse=True)
    page = response.content.decode()
    assert "<time datetime=" in page and "mona-moderator" in page


def test_filters_by_staff_member_kind_and_dates(
    admin_client, manager, moderator, every_kind_of_action
):
    by_manager = _rows(admin_client.get(URL, {"staff": manager.pk}))
    moderation = _rows(admin_client.get(URL, {"kind": "moderation"}))
    invalidation = _rows(admin_client.get(URL, {"kind": "invalidation", "staff": moderator.pk}))
    today = timezone.localdate()
    today_only = _rows(admin_client.get(URL, {"since": today, "until": today}))
    tomorrow = _rows(admin_client.get(URL, {"since": today + timedelta(days=1)}))
    before = _rows(admin_client.get(URL, {"until": today - timedelta(days=1)}))

    assert {row[1] for row in by_manager} == {"Export"}
    assert {row[0] for row in by_manager} == {"max-manager"}
    assert len(moderation) == 3 and {row[1] for row in moderation} == {"Moderation"}
    assert len(invalidation) == 1 and invalidation[0][1] == "Bulk invalidation"
    assert len(today_only) == 5
    assert tomorrow == [] and before == []


def test_entries_written_in_chinese_are_classified_too(admin_client, admin_user, open_petition):
    with translation.override("zh-hant"):
        invalidated = gettext(staff_activity.INVALIDATION_MESSAGE) % {
            "count": 3,
            "conditions": "x",
        }
        erased = gettext(staff_activity.ERASURE_MESSAGE)
    signature = make_signature(open_petition, status="withdrawn", full_name="", email="")
    log_history(admin_user.pk, [open_petition], CHANGE, invalidated)
    log_history(admin_user.pk, [signature], CHANGE, erased)

    rows = _rows(admin_client.get(URL))

    assert [row[1] for row in rows] == ["Erasure", "Bulk invalidation"]
    assert rows[1][3] == invalidated


@pytest.mark.parametrize(
    "query",
    [
        {"staff": "not-a-number"},
        {"staff": "999999"},
        {"kind": "everything"},
        {"since": "yesterday"},
        {"until": "2024-13-45"},
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
        {"since": "2025-02-01", "until": "2025-01-01"},
        {"since": "2025-01-01\x00"},
        {"kind": ["moderation", "<script>"]},
    ],
)
def test_bad_filter_values_give_a_clear_message(admin_client, query):
    response = admin_client.get(URL, query)

    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "These filters are not valid" in page
    assert 'role="alert"' in page
    assert "<script>" not in page


@pytest.mark.parametrize("number", ["-1", "0", "99999", "x", "1e9", ""])
def test_a_bad_page_number_shows_a_page(admin_client, number):
    response = admin_client.get(URL, {"page": number, "kind": "export"})

    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_pages_of_fifty_newest_first(admin_client, open_petition, admin_user):
    start = timezone.now() - timedelta(days=1)
    ExportRecord.objects.bulk_create(
        ExportRecord(
            kind="signatures",
            exported_by=admin_user,
            exported_by_username="admin",
            petition_slug=f"p-{n}",
            started_at=start + timedelta(minutes=n),
        )
        for n in range(60)
    )

    first = admin_client.get(URL)
    second = admin_client.get(URL, {"page": 2, "kind": "export"})

    assert [row[2] for row in _rows(first)][:2] == ["p-59", "p-58"]
    assert len(_rows(first)) == 50
    assert [row[2] for row in _rows(second)] == [f"p-{n}" for n in range(9, -1, -1)]
    assert "kind=export&amp;page=1" in second.content.decode()


def test_a_moderator_may_not_read_it_and_a_manager_may(moderator_client, manager_client):
    assert moderator_client.get(URL).status_code == 403
    assert manager_client.get(URL).status_code == 200
    assert URL not in moderator_client.get(reverse("admin:index")).content.decode()
    assert f'href="{URL}"' in manager_client.get(reverse("admin:index")).content.decode()


def test_no_signer_name_address_or_comment_appears(admin_client, moderator_client, open_petition):
    signature = make_signature(
        open_petition,
        full_name="Zebulon Quixotefeather",
        email="zebulon.quixote@unusual.example",
        comment="Quixotic remark",
        status="suspected",
    )
    _act(moderator_client, SIGNATURES, "reject_comments", signature)
    _act(moderator_client, SIGNATURES, "clear_selected", signature)
    # An entry written before history named signatures by number.
    LogEntry.objects.filter(object_id=str(signature.pk)).update(
        object_repr="Zebulon Quixotefeather"
    )
    admin_client.post(
        reverse("admin:petitions_signature_erase_person"),
        {"email": "zebulon.quixote@unusual.example", "confirm": "1"},
    )

    page = admin_client.get(URL).content.decode()

    assert f"Signature #{signature.pk}" in page
    for personal in ("Zebulon", "Quixote", "unusual.example", "Quixotic"):
        assert personal not in page


@pytest.mark.vnu
def test_the_page_is_valid_html(admin_client, every_kind_of_action):
    pages = {
        "everything": admin_client.get(URL).content.decode(),
        "bad filters": admin_client.get(URL, {"since": "x", "kind": "y"}).content.decode(),
        "index": admin_client.get(reverse("admin:index")).content.decode(),
    }

    assert html_errors(pages) == {}
