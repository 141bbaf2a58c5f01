"""
The confirmation mail job with a job queue: queued once a second however many sign, sent as an
outbox, and with the mail server down tried again after a capped exponential back-off, by one
chain of retries, until every owed mail has gone out.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from petitions.tasks import (
    MAIL_BATCH_WINDOW,
    MAIL_RETRY_MAX_DELAY,
    mail_confirmations_soon,
    mail_retry_delay,
    send_owed_confirmation_mails,
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


def _queued_jobs() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path__endswith="send_owed_confirmation_mails", status="READY"
        ).order_by("run_after")
    )


def test_the_back_off_doubles_from_ten_seconds_up_to_ten_minutes():
    delays = [mail_retry_delay(attempt).total_seconds() for attempt in range(8)]

    assert delays == [10, 20, 40, 80, 160, 320, 600, 600]
    assert mail_retry_delay(50) == MAIL_RETRY_MAX_DELAY


def test_many_signatures_in_a_second_queue_one_job_that_starts_after_them(job_queue):
    before = timezone.now()

    for _ in range(50):
        mail_confirmations_soon()

    (job,) = _queued_jobs()
    assert job.run_after >= before + MAIL_BATCH_WINDOW


def test_a_signature_after_the_window_queues_another_job(job_queue, monkeypatch):
    mail_confirmations_soon()
    later = timezone.now().timestamp() + MAIL_BATCH_WINDOW.total_seconds()
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)

    mail_confirmations_soon()

    assert len(_queued_jobs()) == 2


def test_a_refused_mail_is_tried_again_after_the_back_off(
    open_petition, job_queue, mail_server_down
):
    signature = make_signature(open_petition, confirmation_mails_requested=1)
    before = timezone.now()

    assert send_owed_confirmation_mails.call(2) == 0

    (retry,) = _queued_jobs()
    assert retry.args_kwargs["args"] == [3]
    assert (
        before + timedelta(seconds=40) <= retry.run_after <= timezone.now() + timedelta(seconds=40)
    )
    signature.refresh_from_db()
    assert signature.confirmation_mails_sent == 0


def test_jobs_failing_while_a_retry_is_scheduled_leave_their_mail_to_it(
    open_petition, job_queue, mail_server_down
):
    make_signature(open_petition, confirmation_mails_requested=1)

    for _ in range(5):
        send_owed_confirmation_mails.call()

    assert len(_queued_jobs()) == 1


def test_the_retry_sends_every_owed_mail_once_the_server_is_back(
    open_petition, job_queue, mail_server_down, settings, mailoutbox
):
    first = make_signature(open_petition, confirmation_mails_requested=1)
    send_owed_confirmation_mails.call()
    second = make_signature(open_petition, confirmation_mails_requested=1)
    (retry,) = _queued_jobs()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert send_owed_confirmation_mails.call(*retry.args_kwargs["args"]) == 2

    assert [message.to for message in mailoutbox] == [[first.email], [second.email]]
    first.refresh_from_db()
    assert first.confirmation_mails_sent == 1


@pytest.fixture
def refusing_mail_server(settings):
    settings.EMAIL_BACKEND = "tests.petitions.mail_backends.RefusingEmailBackend"


def test_an_address_refused_for_good_holds_up_no_mail_behind_it(
    open_petition, job_queue, refusing_mail_server, mailoutbox
):
    refused = make_signature(open_petition, email="no-such-user@example.org")
    behind = make_signature(open_petition, email="fine@example.org")

    send_owed_confirmation_mails.call()

    assert [message.to for message in mailoutbox] == [["fine@example.org"]]
    refused.refresh_from_db()
    assert refused.confirmation_mails_sent == refused.confirmation_mails_requested  # given up
    assert not _queued_jobs()  # nothing to try again
    behind.refresh_from_db()
    assert behind.confirmation_mails_sent == 1


def test_an_address_refused_for_now_stays_owed_and_the_rest_go_out(
    open_petition, job_queue, refusing_mail_server, mailoutbox
):
    full = make_signature(open_petition, email="mailbox-full@example.org")
    make_signature(open_petition, email="fine@example.org")

    send_owed_confirmation_mails.call()

    assert [message.to for message in mailoutbox] == [["fine@example.org"]]
    full.refresh_from_db()
    assert full.confirmation_mails_sent == 0  # the next job, or the queue command, tries again
