"""
Background jobs (django-tasks): the confirmation mail and the counting job.

Both are safe to run twice. The mail job looks the signature up by id when it runs, so a
signature withdrawn or confirmed in the meantime gets no mail; it records the send only after
the mail server accepted it, so a worker killed mid-send leaves a gap that
`queue_confirmation_mails` finds and fills (a signer may then get the mail twice, never zero
times).
"""

import logging
import smtplib
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from . import counting, emails
from .models import Endorsement, Signature

logger = logging.getLogger(__name__)

# A mail server that is down or refuses for now (421) is tried again later, waiting twice as
# long each time: 10 s, 20 s, 40 s ... at most 10 minutes. A surge's mail then goes out soon
# after the server is back, without hammering it meanwhile. After the last retry the gap is left
# to `queue_confirmation_mails`, which re-queues every mail asked for and never sent.
MAIL_RETRY_FIRST_DELAY = timedelta(seconds=10)
MAIL_RETRY_MAX_DELAY = timedelta(minutes=10)
MAIL_RETRIES = 20


def mail_retry_delay(attempt: int) -> timedelta:
    """How long to wait before retry number `attempt + 1` (capped exponential back-off)."""
    return min(MAIL_RETRY_MAX_DELAY, MAIL_RETRY_FIRST_DELAY * 2 ** min(attempt, 16))


@task()
def send_confirmation_mail(signature_id: int, attempt: int = 0) -> bool:
    """
    Send the confirmation mail if the signature still waits for one; True if sent. If the mail
    server cannot take it now, queue this job again after a back-off (with a job queue).
    """
    signature = (
        Signature.objects.awaiting_mail()
        .select_related("petition")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None:
        return False
    try:
        emails.send_confirmation(signature)
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= MAIL_RETRIES or not send_confirmation_mail.get_backend().supports_defer:
            raise  # in-process jobs (the embedded setup) cannot wait: the error is recorded
        delay = mail_retry_delay(attempt)
        send_confirmation_mail.using(run_after=timezone.now() + delay).enqueue(
            signature_id, attempt + 1
        )
        # The error's class only: an SMTP reply may quote the recipient's address.
        logger.warning(
            "Confirmation mail deferred (%s), retry %d in %s",
            type(error).__name__,
            attempt + 1,
            delay,
        )
        return False
    Signature.objects.filter(pk=signature_id).update(
        confirmation_mails_sent=F("confirmation_mails_sent") + 1, last_mailed_at=timezone.now()
    )
    return True


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
