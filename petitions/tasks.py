"""
Background jobs (django-tasks): the confirmation mails and the counting job.

Confirmation mail works as an outbox. A signature that wants a mail says so in its own row
(`confirmation_mails_requested` above `confirmation_mails_sent`, written by the sign upsert), and
one job, `send_owed_confirmation_mails`, sends every mail owed over one connection to the mail
server. A request queues that job after its commit (`mail_confirmations_soon`); during a surge a
process queues it at most once a second, to start a second later, and the job then finds every
signature committed meanwhile. One job per signature cost each sign request a second commit and
0.8 ms of CPU (a sixth of it, bench/run.py), and each mail its own job and mail connection, which
left a surge's mail hours behind. The "already signed" mail to a confirmed signer who signs
again goes through the same outbox (`is_owed_already_signed_mail`, OWED_MAILS), job and retries.

The job is safe to run twice and on several workers at once: it takes one owed signature at a
time with a row lock that other jobs skip, and records the send only after the mail server
accepted it, so a worker killed mid-send leaves at most that one mail to be sent again (a signer
may get a mail twice, never zero times), and any mail a dead worker left owed is found by
`queue_confirmation_mails` (cron).
"""

import contextlib
import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

from django.core.cache import cache, caches
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django_tasks import task

from . import counting, emails
from .models import Endorsement, Signature

logger = logging.getLogger(__name__)

# A mail server that is down or refuses for now (421) is tried again later, waiting twice as
# long each time: 10 s, 20 s, 40 s ... at most 10 minutes. A surge's mail then goes out soon
# after the server is back, without hammering it meanwhile. After the last retry the gap is left
# to `queue_confirmation_mails`, which queues the job again while any mail is owed.
MAIL_RETRY_FIRST_DELAY = timedelta(seconds=10)
MAIL_RETRY_MAX_DELAY = timedelta(minutes=10)
MAIL_RETRIES = 20
# Only one chain of retries is kept going (per cache): a job that fails while a retry is already
# scheduled leaves its mail to that retry, which sends every mail owed.
MAIL_RETRY_SCHEDULED = "confirmation-mail-retry-scheduled"

# With a job queue, a process queues the mail job at most once in this window, to start at its
# end: every signature committed in the window is then found by that job. The process trusts a
# window shorter by the margin, for clocks that differ between the web and the worker machines.
MAIL_BATCH_WINDOW = timedelta(seconds=1)
MAIL_CLOCK_MARGIN = timedelta(milliseconds=200)
MAIL_JOB_QUEUED = "confirmation-mail-job-queued"
# Mails sent over one connection before it is closed and another opened: some servers refuse
# more per connection.
MAILS_PER_CONNECTION = 100


def mail_retry_delay(attempt: int) -> timedelta:
    """How long to wait before retry number `attempt + 1` (capped exponential back-off)."""
    return min(MAIL_RETRY_MAX_DELAY, MAIL_RETRY_FIRST_DELAY * 2 ** min(attempt, 16))


def mail_confirmations_soon() -> None:
    """
    Have the owed confirmation mails sent: run after a signature asked for one, once its
    transaction has committed. With the in-process backend (the embedded setup) the job runs
    now; with a job queue, at most once per MAIL_BATCH_WINDOW per process.
    """
    if not send_owed_confirmation_mails.get_backend().supports_defer:
        send_owed_confirmation_mails.enqueue()
        return
    trusted = (MAIL_BATCH_WINDOW - MAIL_CLOCK_MARGIN).total_seconds()
    if not caches["local"].add(MAIL_JOB_QUEUED, True, trusted):
        return  # a job this process queued starts after this signature's commit
    send_owed_confirmation_mails.using(run_after=timezone.now() + MAIL_BATCH_WINDOW).enqueue()


def _refusal_codes(error: smtplib.SMTPException) -> list[int]:
    """The SMTP reply codes with which the server refused this one message, if it did."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _ in error.recipients.values()]
    if isinstance(error, smtplib.SMTPDataError):
        return [error.smtp_code]
    return []  # the connection, the server or our sender: every mail would fail alike


class _OwedMail(NamedTuple):
    """One kind of mail a signature's row can owe: which rows owe it, how to send it, and
    what to write on the row once the mail server took it."""

    owed: Callable[[], QuerySet[Signature]]
    send: Callable[..., None]
    answered: Callable[[], dict[str, object]]


OWED_MAILS = (
    # One mail answers every request made so far: a signer who pressed the button three
    # times before the job ran gets one mail, not three.
    _OwedMail(
        owed=lambda: Signature.objects.awaiting_mail(),
        send=emails.send_confirmation,
        answered=lambda: {
            "confirmation_mails_sent": F("confirmation_mails_requested"),
            "last_mailed_at": timezone.now(),
        },
    ),
    # A confirmed signer who signed again: "you have already signed" (Signature.sign).
    _OwedMail(
        owed=lambda: Signature.objects.awaiting_already_signed_mail(),
        send=emails.send_already_signed,
        answered=lambda: {"is_owed_already_signed_mail": False},
    ),
)


def _send_next_owed_mail(connection: BaseEmailBackend, passed_over: set[int]) -> bool:
    """
    Send one owed mail (a confirmation, or an "already signed" one), if any is left; True if
    one was tried. The signature stays locked until its send is recorded, so no other job
    sends it meanwhile.

    A server that refuses this one message (its address, its content) must not hold up every
    mail behind it: refused for good (5xx), the mail is recorded as answered and never tried
    again; refused for now (4xx), it is passed over until the next job. Anything else (the
    server down, refusing us) is raised, and the whole job tries again later.
    """
    for kind in OWED_MAILS:
        with transaction.atomic():
            signature = (
                kind.owed()
                .exclude(pk__in=passed_over)
                .select_related("petition")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .first()
            )
            if signature is None:
                continue
            connection.open()  # connects once, on the first mail: a job with nothing to send
            try:
                kind.send(signature, connection=connection)
            except smtplib.SMTPException as error:
                codes = _refusal_codes(error)
                if not codes:
                    raise
                # The codes only: the server's text may quote the recipient's address.
                logger.warning("Mail to a signer refused by the mail server (%s)", codes)
                if any(code < 500 for code in codes):
                    passed_over.add(signature.pk)
                    return True
            Signature.objects.filter(pk=signature.pk).update(**kind.answered())
        return True
    return False


@task()
def send_owed_confirmation_mails(attempt: int = 0) -> int:
    """
    Send every mail owed to signers (confirmations, then "already signed" mails), in each
    signer's language; return how many were tried.
    If the mail server cannot take them now, try again after a back-off (with a job queue).
    """
    sent = 0
    passed_over: set[int] = set()
    connection = get_connection()
    try:
        while _send_next_owed_mail(connection, passed_over):
            sent += 1
            if sent % MAILS_PER_CONNECTION == 0:
                _close(connection)
    except (smtplib.SMTPException, OSError) as error:
        if not send_owed_confirmation_mails.get_backend().supports_defer:
            raise  # in-process jobs (the embedded setup) cannot wait: the error is recorded
        # The error's class only: an SMTP reply may quote the recipient's address.
        logger.warning(
            "Confirmation mail deferred (%s) after %d sent, attempt %d",
            type(error).__name__,
            sent,
            attempt + 1,
        )
        _retry_later(attempt)
    finally:
        _close(connection)
    return sent


def _close(connection: BaseEmailBackend) -> None:
    # A server that has just refused us may close its side first: nothing left to say to it.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.close()


def _retry_later(attempt: int) -> None:
    if attempt >= MAIL_RETRIES:
        return  # `queue_confirmation_mails` (cron) queues the job again while mail is owed
    delay = mail_retry_delay(attempt)
    if not cache.add(MAIL_RETRY_SCHEDULED, True, delay.total_seconds()):
        return  # a retry is already scheduled, and it sends every mail owed
    send_owed_confirmation_mails.using(run_after=timezone.now() + delay).enqueue(attempt + 1)


@task()
def send_endorsement_confirmation_mail(endorsement_id: int) -> bool:
    """Mail the confirmation link if the endorsement still waits for confirmation."""
    endorsement = (
        Endorsement.objects.filter(pk=endorsement_id, status=Endorsement.Status.PENDING)
        .select_related("petition", "organisation")
        .first()
    )
    if endorsement is None:
        return False
    emails.build_endorsement_confirmation(endorsement).send()
    return True


@task()
def send_endorsement_decision_mail(endorsement_id: int) -> bool:
    """Tell the contact that staff approved or rejected; imported endorsements have nobody."""
    endorsement = (
        Endorsement.objects.filter(
            pk=endorsement_id,
            status__in=[Endorsement.Status.APPROVED, Endorsement.Status.REJECTED],
        )
        .exclude(email="")
        .select_related("petition", "organisation")
        .first()
    )
    if endorsement is None:
        return False
    emails.build_endorsement_decision(endorsement).send()
    return True


@task()
def count_signatures() -> int:
    """Add newly confirmed signatures to the totals (and take withdrawn ones off)."""
    return counting.count_signatures()
