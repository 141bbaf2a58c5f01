"""The real sign and endorse views: no submitted name, email or address in an error report or
in any log line."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from petitions.models import Petition, SignatureManager

from .conftest import VALID_SIGNER, links_in
from .test_endorse import VALID_ENDORSEMENT

pytestmark = pytest.mark.django_db

NAME = "Zhang Secretname"
EMAIL = "zhang.secret@example.org"
ADDRESS = "203.0.113.58"


def test_the_error_report_of_a_failing_sign_request_has_no_submitted_name_or_email(
    open_petition, settings, monkeypatch
):
    settings.ADMINS = [("Operations", "ops@example.org")]

    def broken_sign(self, **values):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(SignatureManager, "sign", broken_sign)
    client = Client(raise_request_exception=False, REMOTE_ADDR=ADDRESS)

    response = client.post(
        reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
        {**VALID_SIGNER, "full_name": NAME, "email": EMAIL, "comment": "My private reason"},
    )

    assert response.status_code == 500
    (report,) = mail.outbox
    assert "RuntimeError" in report.body  # the report of this very failure
    text = report.subject + report.body + "".join(str(a[0]) for a in report.alternatives)
    for value in [NAME, "Secretname", EMAIL, "zhang.secret", "My private reason", ADDRESS]:
        assert value not in text


def test_no_log_line_carries_a_name_an_email_or_an_address_through_sign_confirm_and_endorse(
    open_petition, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    caplog.set_level(logging.DEBUG)
    client = Client(REMOTE_ADDR=ADDRESS)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("petitions:sign", kwargs={"slug": open_petition.slug}),
            {**VALID_SIGNER, "full_name": NAME, "email": EMAIL},
        )
    confirm = links_in(mailoutbox[0])["confirm"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(re.sub(r"^https?://[^/]+", "", confirm))
        client.post(
            reverse("petitions:endorse", kwargs={"slug": open_petition.slug}),
            {**VALID_ENDORSEMENT, "contact_name": NAME, "email": EMAIL},
        )
    endorsement_link = re.search(r"https?://\S+/endorsement/confirm/\S+", mailoutbox[1].body)
    client.post(re.sub(r"^https?://[^/]+", "", endorsement_link.group(0)))

    assert len(mailoutbox) == 2  # the flow ran: both confirmation mails went out
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.__dict__!r}" for record in caplog.records
    )
    for value in [NAME, "Secretname", EMAIL, "zhang.secret", ADDRESS]:
        assert value not in logged
