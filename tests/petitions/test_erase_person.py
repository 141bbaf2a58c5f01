"""Staff erase one person's data on request, across petitions, after a confirmation step."""

import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from petitions import retention
from petitions.counting import count_signatures
from petitions.models import Endorsement, Petition, Signature

from .conftest import make_signature
from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db

URL = reverse("admin:petitions_signature_erase_person")


def test_staff_see_what_is_found_then_erase_it_everywhere_and_the_history_has_no_address(
    admin_client, open_petition, closed_petition
):
    first = make_signature(
        open_petition, email="wen.li@gmail.com", status="confirmed", full_name="Wen Li"
    )
    second = make_signature(closed_petition, email="wen.li@gmail.com", full_name="Wen Li")
    other = make_signature(open_petition, email="someone@example.org", full_name="Someone")
    endorsement = make_endorsement(open_petition, email="wen.li@gmail.com")
    count_signatures()

    preview = admin_client.post(URL, {"email": "Wen.Li+petition@GMAIL.com"})

    content = preview.content.decode()
    assert preview.status_code == 200
    assert content.count("Signature of") == 2
    assert "Endorsement contact for" in content
    assert Signature.objects.get(pk=first.pk).full_name == "Wen Li"  # nothing changed yet

    response = admin_client.post(
        URL, {"email": "Wen.Li+petition@GMAIL.com", "confirm": "Erase this data"}, follow=True
    )

    assert "2 signature(s) withdrawn, 1 endorsement contact(s) erased" in (
        response.content.decode()
    )
    for signature in (first, second):
        signature.refresh_from_db()
        assert (signature.status, signature.full_name, signature.email) == ("withdrawn", "", "")
    endorsement.refresh_from_db()
    assert (endorsement.contact_name, endorsement.email) == ("", "")
    assert endorsement.status == Endorsement.Status.AWAITING_APPROVAL
    assert Signature.objects.get(pk=other.pk).full_name == "Someone"
    count_signatures()
    open_petition.refresh_from_db()
    assert open_petition.signature_count == 0
    history = list(LogEntry.objects.values_list("object_repr", "change_message"))
    assert len(history) == 3
    assert "wen" not in str(history).lower()


def test_nothing_found_says_so_and_changes_nothing(admin_client, open_petition):
    make_signature(open_petition, email="someone@example.org")

    response = admin_client.post(URL, {"email": "nobody@example.org"})

    assert "Nothing is stored under this address." in response.content.decode()
    assert not LogEntry.objects.exists()


def test_the_changelist_links_to_the_erasure_page(admin_client):
    response = admin_client.get(reverse("admin:petitions_signature_changelist"))

    assert URL in response.content.decode()


def test_outsiders_cannot_reach_the_erasure_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- Finding 7: the admin history names signatures and endorsements by number ----------------

NUMBERED = re.compile(r"^(Signature|Endorsement) #\d+$")


def _history_of(*objects) -> list[str]:
    return [
        entry.object_repr
        for obj in objects
        for entry in LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
    ]


def test_recent_actions_show_no_name_after_erasure(admin_client, open_petition):
    # Finding 7: "Recent actions" kept the signer's name after their data was erased.
    signature = make_signature(open_petition, full_name="Wen Li", email="wen.li@example.org")
    admin_client.post(
        reverse("admin:petitions_signature_changelist"),
        {"action": "reject_selected", "_selected_action": [signature.pk]},
    )
    admin_client.post(URL, {"email": "wen.li@example.org", "confirm": "Erase this data"})

    recent_actions = admin_client.get(reverse("admin:index")).content.decode()

    assert "Wen Li" not in recent_actions
    assert f"Signature #{signature.pk}" in recent_actions


def _change_form_data(model_admin, request, obj) -> dict:
    """What the change form posts back when staff save it without touching anything."""
    form = model_admin.get_form(request, obj, change=True)(instance=obj)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = field.prepare_value(value)
    return data


def test_every_history_entry_the_admin_writes_names_them_by_number(
    admin_client, admin_user, open_petition, rf
):
    """Each action and the change form of both admins, then the erasure: numbers only."""
    written = []
    for model, make in [
        # Suspected, with a comment waiting: a row every signature action acts on.
        (
            Signature,
            lambda: make_signature(
                open_petition, full_name="Ann Named", comment="Hi", status="suspected"
            ),
        ),
        (Endorsement, lambda: make_endorsement(open_petition, contact_name="Ann Named")),
    ]:
        model_admin = admin.site._registry[model]
        options = model._meta
        changelist = reverse(f"admin:{options.app_label}_{options.model_name}_changelist")
        request = rf.get(changelist)
        request.user = admin_user
        for action in model_admin.get_actions(request):
            obj = make()
            admin_client.post(
                changelist,
                # "post" confirms a deletion; "reason" answers the rejection's question.
                {"action": action, "_selected_action": [obj.pk], "post": "yes", "reason": "No."},
            )
            written.append(obj)
        obj = make()
        change = reverse(f"admin:{options.app_label}_{options.model_name}_change", args=[obj.pk])
        assert (
            admin_client.post(change, _change_form_data(model_admin, request, obj)).status_code
            == 302
        )
        written.append(obj)

    history = list(LogEntry.objects.values_list("object_repr", flat=True))

    assert [obj for obj in written if not _history_of(obj)] == []
    assert [name for name in history if not NUMBERED.match(name)] == []


def test_the_migration_renames_existing_entries_by_number(admin_user, open_petition):
    signature = make_signature(open_petition, full_name="Old Entry Name")
    endorsement = make_endorsement(open_petition, "Small Group")
    LogEntry.objects.log_actions(admin_user.pk, [signature, endorsement], CHANGE, "Rejected.")
    assert "Old Entry Name" in _history_of(signature)
    migration = importlib.import_module(
        "petitions.migrations.0014_admin_history_names_signatures_by_number"
    )

    migration.name_by_number(django_apps, SimpleNamespace(connection=connection))

    assert _history_of(signature) == [f"Signature #{signature.pk}"]
    assert _history_of(endorsement) == [f"Endorsement #{endorsement.pk}"]


def test_erasure_scrubs_entries_written_by_anyone(admin_user, open_petition):
    signature = make_signature(open_petition, full_name="Wen Li", email="wen.li@example.org")
    endorsement = make_endorsement(open_petition, email="wen.li@example.org")
    # Django's own writer, as a third-party admin or an old entry would have it: the name.
    LogEntry.objects.log_actions(admin_user.pk, [signature, endorsement], CHANGE, "Edited.")

    retention.erase_person("wen.li@example.org")

    assert _history_of(signature) == [f"Signature #{signature.pk}"]
    assert _history_of(endorsement) == [f"Endorsement #{endorsement.pk}"]


def test_the_retention_purge_scrubs_the_entries_of_what_it_erases_and_deletes(
    admin_user, open_petition
):
    long_ago = timezone.now() - timedelta(days=400)
    long_closed = Petition.objects.create(
        slug="long-closed",
        status=Petition.Status.CLOSED,
        title_en="Long closed",
        takes_endorsements=True,
        opens_at=long_ago - timedelta(days=30),
        closes_at=long_ago,
    )
    erased = make_signature(long_closed, full_name="Erased Name", status="confirmed")
    deleted = make_signature(open_petition, full_name="Deleted Name")
    Signature.objects.filter(pk=deleted.pk).update(created_at=long_ago)
    contact = make_endorsement(long_closed, contact_name="Contact Name")
    LogEntry.objects.log_actions(admin_user.pk, [erased, deleted, contact], CHANGE, "Edited.")

    retention.purge_personal_data()

    history = list(LogEntry.objects.values_list("object_repr", flat=True))
    assert sorted(history) == sorted(
        [f"Signature #{erased.pk}", f"Signature #{deleted.pk}", f"Endorsement #{contact.pk}"]
    )
