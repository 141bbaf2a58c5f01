import io

import pytest
from django.core.management import call_command

from petitions.models import Petition, Signature

pytestmark = pytest.mark.django_db


def test_the_demo_petition_has_counted_signatures_countries_and_public_signers():
    call_command("load_demo", stdout=io.StringIO())

    petition = Petition.objects.get(slug="tiananmen-mothers")
    confirmed = petition.signatures.filter(status=Signature.Status.CONFIRMED)
    assert petition.signature_count == confirmed.count() > 0
    assert petition.country_tallies.count() > 1
    assert petition.signatures.filter(show_name_publicly=True).exists()
    assert all(
        email.endswith("@example.org") for email in confirmed.values_list("email", flat=True)
    )


def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo", stdout=io.StringIO())
    before = list(Signature.objects.values_list("pk", "status", "is_counted"))
    count_before = Petition.objects.get(slug="tiananmen-mothers").signature_count

    call_command("load_demo", stdout=io.StringIO())

    assert list(Signature.objects.values_list("pk", "status", "is_counted")) == before
    assert Petition.objects.get(slug="tiananmen-mothers").signature_count == count_before


def test_the_demo_petition_page_shows_its_count_and_signers(client):
    call_command("load_demo", stdout=io.StringIO())

    content = client.get("/petitions/tiananmen-mothers/").content.decode()

    assert "Demo Signer Ada" in content
    assert "Demo Signer Dana" not in content  # did not consent to show the name
    assert "@example.org" not in content
