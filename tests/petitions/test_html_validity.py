"""Every page of the signing flow is valid HTML (the W3C Nu validator, run offline)."""

import pytest
from django.urls import reverse

from petitions.counting import count_signatures
from petitions.emails import CONFIRM_SALT, WITHDRAW_SALT, make_token
from petitions.models import Signature
from tests.archive.html_validation import html_errors

from .conftest import VALID_SIGNER, make_signature

pytestmark = [pytest.mark.django_db, pytest.mark.vnu]


def test_every_page_of_the_signing_flow_is_valid_html(client, open_petition, closed_petition):
    make_signature(open_petition, status=Signature.Status.CONFIRMED, show_name_publicly=True)
    count_signatures()
    signature = make_signature(open_petition)
    slug = open_petition.slug
    confirm = reverse("petitions:confirm-signature", args=[make_token(signature, CONFIRM_SALT)])
    withdraw = reverse("petitions:withdraw-signature", args=[make_token(signature, WITHDRAW_SALT)])
    pages = {
        f"{prefix}{path}": client.get(f"{prefix}{path}").content.decode()
        for prefix in ["", "/zh-hant", "/zh-hans"]
        for path in [
            "/petitions/",
            f"/petitions/{slug}/",
            f"/petitions/{closed_petition.slug}/",
            f"/petitions/{slug}/check-your-email/",
            f"/petitions/{slug}/thank-you/",
            f"/petitions/{slug}/withdrawn/",
        ]
    }
    pages["confirm"] = client.get(confirm).content.decode()
    pages["withdraw"] = client.get(withdraw).content.decode()
    pages["broken link"] = client.get("/petitions/confirm/broken/").content.decode()
    pages["form with errors"] = client.post(
        f"/petitions/{slug}/sign/", {**VALID_SIGNER, "full_name": "", "email": "x"}
    ).content.decode()

    assert html_errors(pages) == {}


def test_every_page_of_the_endorsing_flow_is_valid_html(client, open_petition, closed_petition):
    from petitions.emails import ENDORSEMENT_CONFIRM_SALT
    from petitions.models import Endorsement, Petition

    from .endorsement_helpers import make_endorsement

    Petition.objects.filter(pk__in=[open_petition.pk, closed_petition.pk]).update(
        takes_endorsements=True
    )
    make_endorsement(open_petition, "Valid Org", status=Endorsement.Status.APPROVED)
    make_endorsement(
        open_petition, "Stateless Org", country="", status=Endorsement.Status.APPROVED
    )
    pending = make_endorsement(open_petition, status=Endorsement.Status.PENDING)
    slug = open_petition.slug
    confirm = reverse(
        "petitions:confirm-endorsement", args=[make_token(pending, ENDORSEMENT_CONFIRM_SALT)]
    )
    pages = {
        f"{prefix}{path}": client.get(f"{prefix}{path}").content.decode()
        for prefix in ["", "/zh-hant", "/zh-hans"]
        for path in [
            f"/petitions/{slug}/",
            f"/petitions/{slug}/endorse/",
            f"/petitions/{slug}/endorse/check-your-email/",
            f"/petitions/{slug}/endorse/confirmed/",
            f"/petitions/{slug}/endorsements/",
            f"/petitions/{closed_petition.slug}/endorse/",
        ]
    }
    pages["confirm"] = client.get(confirm).content.decode()
    pages["form with errors"] = client.post(
        f"/petitions/{slug}/endorse/", {"organisation_name": "", "website": "ftp://x"}
    ).content.decode()

    assert html_errors(pages) == {}
