"""The endorse form, its confirmation mail and link, and what a petition takes."""

import re

import pytest
from django.urls import reverse

from petitions.emails import ENDORSEMENT_CONFIRM_SALT, make_token
from petitions.models import Endorsement, Organisation, Petition
from tests.petitions.conftest import aged_form_stamp

pytestmark = pytest.mark.django_db

VALID_ENDORSEMENT = {
    "organisation_name": "Example Rights Watch",
    "country": "GB",
    "website": "https://rights-watch.example.org",
    "kind": "ngo",
    "contact_name": "Cora Contact",
    "contact_role": "Director",
    "email": "cora@rights-watch.example.org",
    "statement": "We stand with the Tiananmen Mothers.",
    "is_authorised": "on",
    "rendered_at": aged_form_stamp(),
}


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST as a request would, then run what it queued for after its commit (the mail)."""

    def post(url: str, data: dict | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


@pytest.fixture
def endorsable(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    open_petition.refresh_from_db()
    return open_petition


def endorse_url(petition: Petition) -> str:
    return reverse("petitions:endorse", kwargs={"slug": petition.slug})


def confirm_link(message) -> str:
    return next(url for url in re.findall(r"https?://\S+", message.body) if "/confirm/" in url)


def test_the_endorse_form_shows_every_field_and_the_privacy_link(client, post, endorsable):
    content = client.get(endorse_url(endorsable)).content.decode()

    for label in [
        "Name of the organisation",
        "Country or region",
        "Website (optional)",
        "Kind of organisation",
        "Your name",
        "Your role in the organisation",
        "Your email address",
        "Statement of support (optional)",
        "I am authorised to endorse this petition on behalf of this organisation",
    ]:
        assert label in content
    assert reverse("privacy") in content


def test_an_endorsement_is_pending_and_its_contact_gets_a_confirmation_link(
    client, post, endorsable, mailoutbox, settings
):
    settings.SITE_URL = "https://petition.example.org"

    response = post(endorse_url(endorsable), VALID_ENDORSEMENT)

    assert response.status_code == 302
    assert response.url == reverse("petitions:endorse-check-email", args=[endorsable.slug])
    endorsement = Endorsement.objects.get()
    assert endorsement.status == Endorsement.Status.PENDING
    assert endorsement.organisation.name == "Example Rights Watch"
    assert endorsement.organisation.website == "https://rights-watch.example.org"
    assert endorsement.email_key == "cora@rights-watch.example.org"
    assert endorsement.is_authorised
    assert not endorsement.is_flagged
    (message,) = mailoutbox
    assert message.to == ["cora@rights-watch.example.org"]
    assert "Please confirm your organisation's endorsement" in message.subject
    assert confirm_link(message).startswith("https://petition.example.org/petitions/endorsement/")


def test_confirming_shows_a_button_and_only_the_post_confirms(
    client, post, endorsable, mailoutbox
):
    post(endorse_url(endorsable), VALID_ENDORSEMENT)
    path = re.sub(r"^https?://[^/]+", "", confirm_link(mailoutbox[0]))

    page = client.get(path)
    assert Endorsement.objects.get().status == Endorsement.Status.PENDING
    assert "Confirm the endorsement" in page.content.decode()

    response = post(path)

    assert response.url == reverse("petitions:endorsement-confirmed", args=[endorsable.slug])
    endorsement = Endorsement.objects.get()
    assert endorsement.status == Endorsement.Status.AWAITING_APPROVAL
    assert endorsement.confirmed_at is not None
    assert post(path).status_code == 302  # twice is harmless


def test_an_expired_confirmation_link_is_refused(client, post, endorsable, mailoutbox, settings):
    post(endorse_url(endorsable), VALID_ENDORSEMENT)
    path = re.sub(r"^https?://[^/]+", "", confirm_link(mailoutbox[0]))
    settings.CONFIRMATION_LINK_MAX_AGE_DAYS = -1

    response = post(path)

    assert response.status_code == 410
    assert Endorsement.objects.get().status == Endorsement.Status.PENDING


def test_a_tampered_confirmation_link_is_refused(client, post, endorsable):
    post(endorse_url(endorsable), VALID_ENDORSEMENT)
    token = make_token(Endorsement.objects.get(), ENDORSEMENT_CONFIRM_SALT)

    response = post(reverse("petitions:confirm-endorsement", args=[token[:-2] + "xx"]))

    assert response.status_code == 400
    assert Endorsement.objects.get().status == Endorsement.Status.PENDING


def test_a_signature_token_does_not_confirm_an_endorsement(client, post, endorsable):
    post(endorse_url(endorsable), VALID_ENDORSEMENT)
    token = make_token(Endorsement.objects.get(), "petitions.signature.confirm")

    response = post(reverse("petitions:confirm-endorsement", args=[token]))

    assert response.status_code == 400


def test_a_second_endorsement_of_one_organisation_gets_the_same_response_and_no_row(
    client, post, endorsable, mailoutbox
):
    first = post(endorse_url(endorsable), VALID_ENDORSEMENT)

    again = post(
        endorse_url(endorsable),
        {**VALID_ENDORSEMENT, "organisation_name": "EXAMPLE rights-watch", "email": "x@y.org"},
    )

    assert (again.status_code, again.url) == (first.status_code, first.url)
    assert Endorsement.objects.count() == 1
    assert Organisation.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_authorisation_box_is_required(client, post, endorsable):
    data = {**VALID_ENDORSEMENT}
    del data["is_authorised"]

    response = post(endorse_url(endorsable), data)

    assert response.status_code == 400
    assert "Please confirm that you may endorse on behalf of the organisation." in (
        response.content.decode()
    )
    assert not Endorsement.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", "javascript:alert(1)"),
        ("website", "ftp://files.example.org"),
        ("website", "data:text/html,<script>alert(1)</script>"),
        ("organisation_name", "Example\x00Org"),
        ("organisation_name", "Example\u202eOrg"),
        ("organisation_name", '=HYPERLINK("http://x")'),
        ("organisation_name", "x" * 201),
        ("contact_name", "Cora https://spam.example"),
        ("contact_name", "@Cora"),
        ("contact_name", "Cora\u200bContact"),
        ("contact_role", "+Director"),
        ("email", "not-an-address"),
        ("statement", "x" * 501),
        ("kind", "cult"),
        ("country", "XX"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_no_row(client, post, endorsable, field, value):
    response = post(endorse_url(endorsable), {**VALID_ENDORSEMENT, field: value})

    assert response.status_code == 400
    assert 'id="form-errors"' in response.content.decode()
    assert not Endorsement.objects.exists()


def test_a_name_is_stored_nfc_normalised(client, post, endorsable):
    post(endorse_url(endorsable), {**VALID_ENDORSEMENT, "organisation_name": "Cafe\u0301 Rights"})

    assert Organisation.objects.get().name == "Caf\u00e9 Rights"


def test_a_website_without_scheme_becomes_https(client, post, endorsable):
    post(endorse_url(endorsable), {**VALID_ENDORSEMENT, "website": "example.org"})

    assert Organisation.objects.get().website == "https://example.org"


def test_the_endorse_view_hides_post_data_from_error_reports(client, post, endorsable):
    response = post(endorse_url(endorsable), {**VALID_ENDORSEMENT, "email": "bad"})

    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


def test_a_petition_that_takes_no_endorsements_refuses_them(client, post, open_petition):
    response = post(endorse_url(open_petition), VALID_ENDORSEMENT)

    assert response.status_code == 409
    assert not Endorsement.objects.exists()


def test_a_closed_petition_refuses_endorsements(client, post, closed_petition):
    Petition.objects.filter(pk=closed_petition.pk).update(takes_endorsements=True)

    response = post(endorse_url(closed_petition), VALID_ENDORSEMENT)

    assert response.status_code == 409
    assert not Endorsement.objects.exists()


def test_an_endorsements_only_petition_shows_no_sign_form_and_refuses_signatures(
    client, post, endorsable
):
    Petition.objects.filter(pk=endorsable.pk).update(takes_signatures=False)

    page = client.get(endorsable.get_absolute_url()).content.decode()
    response = post(
        reverse("petitions:sign", args=[endorsable.slug]),
        {"full_name": "Ann", "email": "ann@example.org", "country": "GB"},
    )

    assert 'id="sign-heading"' not in page
    assert "Endorse as an organisation" in page
    assert response.status_code == 409
    assert (
        "This petition collects endorsements from organisations only, not individual "
        "signatures." in response.content.decode()
    )
    assert not endorsable.signatures.exists()


def test_a_petition_must_take_signatures_or_endorsements(open_petition):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Petition.objects.filter(pk=open_petition.pk).update(
            takes_signatures=False, takes_endorsements=False
        )


def test_an_endorsements_only_petition_shows_no_signature_count(client, endorsable):
    Petition.objects.filter(pk=endorsable.pk).update(takes_signatures=False)

    page = client.get(endorsable.get_absolute_url()).content.decode()

    assert 'role="progressbar"' not in page
    assert "more signatures to reach the goal" not in page
    assert "Endorsed by 0 organisations" in page


def test_an_expired_unconfirmed_endorsement_can_be_submitted_again(
    client, post, endorsable, mailoutbox, settings
):
    from datetime import timedelta

    from django.utils import timezone

    post(endorse_url(endorsable), VALID_ENDORSEMENT)
    Endorsement.objects.update(created_at=timezone.now() - timedelta(days=30))

    post(endorse_url(endorsable), {**VALID_ENDORSEMENT, "email": "new@rights-watch.example.org"})

    endorsement = Endorsement.objects.get()
    assert endorsement.email == "new@rights-watch.example.org"
    assert [m.to for m in mailoutbox] == [
        ["cora@rights-watch.example.org"],
        ["new@rights-watch.example.org"],
    ]


def test_an_expired_link_says_how_to_endorse_again(client, post, endorsable, mailoutbox, settings):
    post(endorse_url(endorsable), VALID_ENDORSEMENT)
    path = re.sub(r"^https?://[^/]+", "", confirm_link(mailoutbox[0]))
    settings.CONFIRMATION_LINK_MAX_AGE_DAYS = -1

    response = client.get(path)

    assert "submit the endorsement again" in response.content.decode()


def test_a_link_for_a_petition_closed_since_is_refused(client, post, endorsable, mailoutbox):
    post(endorse_url(endorsable), VALID_ENDORSEMENT)
    path = re.sub(r"^https?://[^/]+", "", confirm_link(mailoutbox[0]))
    Petition.objects.filter(pk=endorsable.pk).update(status=Petition.Status.CLOSED)

    response = client.post(path)

    assert response.status_code == 410
    assert "closed before the endorsement was confirmed" in response.content.decode()
    assert Endorsement.objects.get().status == Endorsement.Status.PENDING


def test_the_confirmation_mail_is_in_the_language_of_the_form(
    client, post, endorsable, mailoutbox
):
    post(f"/zh-hans{endorse_url(endorsable)}", VALID_ENDORSEMENT)

    (message,) = mailoutbox
    assert Endorsement.objects.get().language == "zh-hans"
    assert "请确认贵机构的团体支持" in message.subject
    assert "/zh-hans/petitions/endorsement/confirm/" in message.body


def test_the_check_email_page_shows_the_contacts_address_masked(client, post, endorsable):
    response = post(endorse_url(endorsable), VALID_ENDORSEMENT)

    assert "rights-watch" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "c•••@rights-watch.example.org" in page
    assert "cora@" not in page
    assert f'href="{endorse_url(endorsable)}"' in page
    client.cookies.clear()
    assert "•••" not in client.get(response["Location"]).content.decode()
