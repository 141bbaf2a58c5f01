"""
How long personal data is kept, and its erasure: by the retention command (from cron) and on a
person's request (staff, in the admin).

Erasing never changes what is counted. An erased confirmed signature stays confirmed and
counted, with its country and nothing else: the petition's total and per-country tallies, and a
later `reconcile_counts` (which counts confirmed rows), come out the same. Only unconfirmed rows
are deleted, and those were never counted.

Each step works in batches, each its own transaction, choosing rows by what still needs doing:
an interrupted run loses nothing, and a second run finds nothing left to do.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import timedelta

from django.conf import settings
from django.db import router, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .admin_history import scrub_history
from .email_keys import email_key
from .models import Endorsement, Petition, Signature

BATCH_SIZE = 1000
# The rate limits look back one day (petitions/abuse.py); after that a client hash serves
# nothing and is erased.
CLIENT_HASH_RETENTION = timedelta(days=1)
UNCONFIRMED = [Signature.Status.PENDING, Signature.Status.SUSPECTED]


@dataclass
class Purge:
    unconfirmed_signatures_deleted: int = 0
    unconfirmed_endorsements_deleted: int = 0
    client_hashes_erased: int = 0
    signatures_erased: int = 0
    endorsement_contacts_erased: int = 0

    def __str__(self) -> str:
        return ", ".join(
            f"{field.name.replace('_', ' ')}: {getattr(self, field.name)}"
            for field in fields(self)
        )


def _in_batches(
    queryset: QuerySet, act: Callable[[QuerySet], int], *, batch_size: int, dry_run: bool
) -> int:
    """Apply `act` to the rows of `queryset`, a batch at a time, each batch in a transaction."""
    if dry_run:
        return queryset.count()
    done = 0
    using = router.db_for_write(queryset.model)
    while True:
        with transaction.atomic(using=using):
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if ids:
                # The conditions again: a row that changed since it was chosen is left alone.
                done += act(queryset.filter(pk__in=ids))
        if len(ids) < batch_size:
            return done


def _delete(queryset: QuerySet) -> int:
    return queryset.delete()[0]


def _scrubbing_history(act: Callable[[QuerySet], int]) -> Callable[[QuerySet], int]:
    """`act`, after renaming by number the batch's admin history entries (admin_history)."""

    def scrub_then_act(batch: QuerySet) -> int:
        scrub_history(batch.model, list(batch.values_list("pk", flat=True)))
        return act(batch)

    return scrub_then_act


def petitions_closed_before(moment: object) -> QuerySet:
    """
    Petitions closed before `moment`: by their closing date, or, for one staff closed by hand
    without a date (or before it), by its last change.
    """
    return Petition.objects.filter(
        Q(closes_at__lt=moment)
        | Q(status=Petition.Status.CLOSED)
        & (Q(closes_at__isnull=True) | Q(closes_at__gte=moment))
        & Q(updated_at__lt=moment)
    )


def purge_personal_data(
    *, now: object = None, batch_size: int = BATCH_SIZE, dry_run: bool = False
) -> Purge:
    """Everything the retention periods say must go, gone; see the module's docstring."""
    now = now or timezone.now()
    unconfirmed_before = now - timedelta(days=settings.UNCONFIRMED_SIGNATURE_RETENTION_DAYS)
    closed_before = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS_AFTER_CLOSE)
    closed = petitions_closed_before(closed_before).values("pk")
    run = {"batch_size": batch_size, "dry_run": dry_run}
    purge = Purge()
    purge.unconfirmed_signatures_deleted = _in_batches(
        # Never a counted row: deleting it would leave the totals too high for good.
        Signature.objects.filter(
            status__in=UNCONFIRMED, is_counted=False, created_at__lt=unconfirmed_before
        ),
        _scrubbing_history(_delete),
        **run,
    )
    purge.unconfirmed_endorsements_deleted = _in_batches(
        Endorsement.objects.filter(
            status=Endorsement.Status.PENDING, created_at__lt=unconfirmed_before
        ),
        _scrubbing_history(_delete),
        **run,
    )
    purge.client_hashes_erased = _in_batches(
        Signature.objects.exclude(client_hash="").filter(
            created_at__lt=now - CLIENT_HASH_RETENTION
        ),
        lambda batch: batch.update(client_hash=""),
        **run,
    )
    purge.signatures_erased = _in_batches(
        Signature.objects.filter(petition__in=closed).with_personal_data(),
        _scrubbing_history(lambda batch: batch.erase_personal_data()),
        **run,
    )
    purge.endorsement_contacts_erased = _in_batches(
        Endorsement.objects.filter(
            petition__in=closed, source=Endorsement.Source.FORM, contact_erased_at__isnull=True
        ),
        _scrubbing_history(lambda batch: batch.erase_contact_details()),
        **run,
    )
    return purge


def find_person(email: str) -> tuple[QuerySet, QuerySet]:
    """Everything that holds this address, by its canonical key, across every petition."""
    key = email_key(email)
    return (
        Signature.objects.filter(email_key=key).select_related("petition"),
        Endorsement.objects.filter(email_key=key).select_related("petition", "organisation"),
    )


def erase_person(email: str) -> tuple[list[Signature], list[Endorsement]]:
    """
    A person asked us to erase their data: each of their signatures is withdrawn (its personal
    data erased, and taken off the totals by the counting job, as the withdraw link does) and
    each endorsement they submitted loses its contact details. Returns what was erased.
    """
    signatures, endorsements = find_person(email)
    with transaction.atomic(using=router.db_for_write(Signature)):
        erased_signatures = list(signatures.select_for_update(of=("self",)))
        for signature in erased_signatures:
            signature.withdraw()
        erased_endorsements = list(endorsements)
        Endorsement.objects.filter(
            pk__in=[e.pk for e in erased_endorsements]
        ).erase_contact_details()
        scrub_history(Signature, [signature.pk for signature in erased_signatures])
        scrub_history(Endorsement, [endorsement.pk for endorsement in erased_endorsements])
    return erased_signatures, erased_endorsements
