"""Bulk invalidation: count first, refuse an empty condition, then reject and keep counts right."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from petitions.counting import count_signatures
from petitions.models import Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db

URL = reverse("admin:petitions_signature_invalidate")


def _statuses() -> dict[str, str]:
    return dict(Signature.objects.values_list("full_name", "status"))


def test_an_empty_condition_is_refused(moderator_client, open_petition):
    make_signature(open_petition, status="confirmed")

    response = moderator_client.post(URL, {"confirm": "1"})

    assert response.status_code == 200
    assert "Give at least one condition" in response.content.decode()
    assert set(_statuses().values()) == {"confirmed"}


def test_a_domain_is_counted_first_then_rejected_and_the_count_follows(
    moderator_client, moderator, open_petition
):
    make_signature(open_petition, full_name="Bot 1", email="a@spam.example", status="confirmed")
    make_signature(open_petition, full_name="Bot 2", email="B@SPAM.example", status="pending")
    make_signature(open_petition, full_name="Sub", email="c@x.spam.example", status="confirmed")
    make_signature(open_petition, full_name="Real", email="d@example.org", status="confirmed")
    count_signatures()

    preview = moderator_client.post(URL, {"email_domain": "spam.example", "preview": "1"})

    assert "2 signatures match these conditions." in preview.content.decode()
    assert set(_statuses().values()) == {"confirmed", "pending"}

    done = moderator_client.post(
        URL, {"email_domain": "spam.example", "confirm": "1"}, follow=True
    )
    count_signatures()

    open_petition.refresh_from_db()
    assert "Rejected 2 signatures." in done.content.decode()
    assert _statuses() == {
        "Bot 1": "rejected",
        "Bot 2": "rejected",
        "Sub": "confirmed",
        "Real": "confirmed",
    }
    assert open_petition.signature_count == 2
    entry = LogEntry.objects.get(user=moderator)
    assert entry.object_id == str(open_petition.pk)
    assert "rejected 2 signatures" in entry.get_change_message()
    assert "spam.example" in entry.get_change_message()


def test_a_time_window_and_a_petition_narrow_it(moderator_client, open_petition, closed_petition):
    now = timezone.now()
    make_signature(open_petition, full_name="In", created_at=now - timedelta(minutes=30))
    make_signature(open_petition, full_name="Before", created_at=now - timedelta(hours=3))
    make_signature(closed_petition, full_name="Other", created_at=now - timedelta(minutes=30))
    window = {
        "petition": open_petition.pk,
        "signed_from": timezone.localtime(now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "signed_until": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M"),
    }

    preview = moderator_client.post(URL, {**window, "preview": "1"})
    moderator_client.post(URL, {**window, "confirm": "1"})

    assert "1 signature matches these conditions." in preview.content.decode()
    assert _statuses() == {"In": "rejected", "Before": "pending", "Other": "pending"}


def test_a_network_matches_the_stored_networks_it_covers(moderator_client, open_petition):
    make_signature(open_petition, full_name="A", network="203.0.113.0/24")
    make_signature(open_petition, full_name="B", network="203.0.114.0/24")
    make_signature(open_petition, full_name="C", network="198.51.100.0/24")
    make_signature(open_petition, full_name="D", network="2001:db8:1::/48")

    wide = moderator_client.post(URL, {"network": "203.0.112.0/22", "preview": "1"})
    six = moderator_client.post(URL, {"network": "2001:db8::/44", "preview": "1"})
    narrow = moderator_client.post(URL, {"network": "203.0.113.7/32", "preview": "1"})
    broad = moderator_client.post(URL, {"network": "203.0.0.0/8", "preview": "1"})
    junk = moderator_client.post(URL, {"network": "not a network", "preview": "1"})

    assert "2 signatures match" in wide.content.decode()
    assert "1 signature matches" in six.content.decode()
    assert "give at most /24" in narrow.content.decode()
    assert "too broad" in broad.content.decode()
    assert "Enter a network" in junk.content.decode()


def test_the_signer_network_is_stored_from_the_sign_request(client, open_petition):
    from .conftest import VALID_SIGNER

    client.post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
        VALID_SIGNER,
        REMOTE_ADDR="203.0.113.77",
    )

    assert Signature.objects.get().network == "203.0.113.0/24"


def test_a_manager_cannot_invalidate(manager_client):
    assert manager_client.get(URL).status_code == 403
