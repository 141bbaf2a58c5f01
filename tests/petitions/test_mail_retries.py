"""
A mail server that is down: with a job queue the confirmation mail is queued again after a
capped exponential back-off, and once the server answers every owed mail goes out.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from petitions.tasks import (
    MAIL_RETRY_MAX_DELAY,
    mail_retry_delay,
    send_confirmation_mail,
)

from .conftest import make_signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def job_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1


def _queued_retries() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path__endswith="send_confirmation_mail", status="READY"
        ).order_by("run_after")
    )


def test_the_back_off_doubles_from_ten_seconds_up_to_ten_minutes():
    delays = [mail_retry_delay(attempt).total_seconds() for attempt in range(8)]

    assert delays == [10, 20, 40, 80, 160, 320, 600, 600]
    assert mail_retry_delay(50) == MAIL_RETRY_MAX_DELAY


def test_a_refused_mail_is_queued_again_after_the_back_off(
    open_petition, job_queue, mail_server_down
):
    signature = make_signature(open_petition, confirmation_mails_requested=1)
    before = timezone.now()

    send_confirmation_mail.call(signature.pk, 2)

    (retry,) = _queued_retries()
    assert retry.args_kwargs["args"] == [signature.pk, 3]
    assert (
        before + timedelta(seconds=40) <= retry.run_after <= timezone.now() + timedelta(seconds=40)
    )
    signature.refresh_from_db()
    assert signature.confirmation_mails_sent == 0


def test_the_retry_sends_the_mail_once_the_server_is_back(
    open_petition, job_queue, mail_server_down, settings, mailoutbox
):
    signature = make_signature(open_petition, confirmation_mails_requested=1)
    send_confirmation_mail.call(signature.pk)
    (retry,) = _queued_retries()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert send_confirmation_mail.call(*retry.args_kwargs["args"]) is True

    assert [message.to for message in mailoutbox] == [[signature.email]]
    signature.refresh_from_db()
    assert signature.confirmation_mails_sent == 1
