"""
Background jobs (django-tasks): the confirmation mail and the counting job.

Both are safe to run twice. The mail job looks the signature up by id when it runs, so a
signature withdrawn or confirmed in the meantime gets no mail; it records the send only after
the mail server accepted it, so a worker killed mid-send leaves a gap that
`queue_confirmation_mails` finds and fills (a signer may then get the mail twice, never zero
times).
"""

from django.db.models import F
from django.utils import timezone
from django_tasks import task

from . import counting, emails
from .models import Endorsement, Signature


@task()
def send_confirmation_mail(signature_id: int) -> bool:
    """Send the confirmation mail if the signature still waits for one; True if sent."""
    signature = (
        Signature.objects.awaiting_mail()
        .select_related("petition")
        .filter(pk=signature_id)
        .first()
    )
    if signature is None:
        return False
    emails.send_confirmation(signature)
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
