"""Staff erase one person's data on request, across petitions, after a confirmation step."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from petitions.counting import count_signatures
from petitions.models import Endorsement, Signature

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
