"""
Counting signatures: the petition's total and its per-country tallies, advanced in batches.

No signing or confirming request touches the petition row: a viral petition must not serialise
its signers on one counter. Instead `count_signatures()` (run every few seconds by the
`count_signatures` command or task, or inline after a confirmation in the embedded setup)
takes the signatures whose status and `is_counted` flag disagree, changes the totals by the
difference and flips the flags, all in one transaction. Rows are claimed with
`FOR UPDATE SKIP LOCKED`, so several jobs may run at once without counting a row twice.

`reconcile_counts()` recounts from scratch, for drift from hand edits or bugs.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.db.models import Count, F
from django.utils import timezone

from .models import CountryTally, DailyTally, Petition, Signature

BATCH_SIZE = 1000


def _upsert(using: str, model: type, key: str, rows: list[tuple]) -> None:
    """Add each (petition, key, delta) to its tally row, creating it if missing."""
    if not rows:
        return
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(key)
    # Only quoted names from the model's meta are formatted in; every value is a parameter.
    upsert = (
        f"INSERT INTO {table} (petition_id, {key}, signature_count) VALUES (%s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (petition_id, {key}) DO UPDATE "
        f"SET signature_count = {table}.signature_count + excluded.signature_count"
    )
    with connection.cursor() as cursor:
        cursor.executemany(upsert, rows)


def _add_to_tallies(using: str, deltas: Counter) -> None:
    """Add each (petition, country) delta to its tally row: one statement per row."""
    # Sorted, so two jobs touching the same rows take their locks in the same order.
    increments = [(*key, delta) for key, delta in sorted(deltas.items()) if delta > 0]
    # A decrease only follows an increase, so its row exists; an upsert would trip the
    # non-negative check on the row it proposes before noticing the conflict.
    decrements = [(key, delta) for key, delta in sorted(deltas.items()) if delta < 0]
    _upsert(using, CountryTally, "country", increments)
    for (petition_id, country), delta in decrements:
        CountryTally.objects.using(using).filter(petition_id=petition_id, country=country).update(
            signature_count=F("signature_count") + delta
        )


def _add_to_days(using: str, deltas: Counter) -> None:
    """Add each (petition, day) delta to its daily tally (the staff dashboard's chart)."""
    _upsert(using, DailyTally, "day", [(*key, d) for key, d in sorted(deltas.items()) if d])


def count_batch(batch_size: int = BATCH_SIZE) -> int:
    """Count one batch of signatures waiting to be counted; return how many were handled."""
    using = router.db_for_write(Signature)
    with transaction.atomic(using=using):
        rows = list(
            Signature.objects.using(using)
            .awaiting_count()
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", "petition_id", "country", "status", "confirmed_at")[:batch_size]
        )
        if not rows:
            return 0
        per_petition: Counter = Counter()
        per_country: Counter = Counter()
        per_day: Counter = Counter()
        newly_counted, uncounted = [], []
        for pk, petition_id, country, status, confirmed_at in rows:
            delta = 1 if status == Signature.Status.CONFIRMED else -1
            (newly_counted if delta > 0 else uncounted).append(pk)
            per_petition[petition_id] += delta
            per_country[(petition_id, country)] += delta
            if confirmed_at:
                per_day[(petition_id, timezone.localdate(confirmed_at))] += delta
        for petition_id, delta in sorted(per_petition.items()):
            if delta:
                Petition.objects.using(using).filter(pk=petition_id).update(
                    signature_count=F("signature_count") + delta
                )
        _add_to_tallies(using, per_country)
        _add_to_days(using, per_day)
        if newly_counted:
            Signature.objects.using(using).filter(pk__in=newly_counted).update(is_counted=True)
        if uncounted:
            Signature.objects.using(using).filter(pk__in=uncounted).update(is_counted=False)
    return len(rows)


def count_signatures(batch_size: int = BATCH_SIZE) -> int:
    """Count everything waiting, batch by batch; return how many signatures were handled."""
    total = 0
    while handled := count_batch(batch_size):
        total += handled
        if handled < batch_size:
            break
    return total


@dataclass
class Drift:
    petition: Petition
    counted_before: int
    counted_now: int
    tallies_corrected: int


def reconcile_petition(petition: Petition, *, dry_run: bool = False) -> Drift:
    """
    Recount one petition from its confirmed signatures and correct the total and tallies.

    Order matters for concurrency with a running counting job: first make every flag follow
    its status (this waits for rows a job holds, and holds nothing the job needs), then lock
    the petition row and set the totals to what the flags say. A job that claims rows after
    the first step finds the totals already matching the flags it will flip.
    """
    using = router.db_for_write(Signature)
    with transaction.atomic(using=using):
        signatures = Signature.objects.using(using).filter(petition=petition)
        if not dry_run:
            signatures.filter(status=Signature.Status.CONFIRMED, is_counted=False).update(
                is_counted=True
            )
            signatures.exclude(status=Signature.Status.CONFIRMED).filter(is_counted=True).update(
                is_counted=False
            )
            counted = signatures.filter(is_counted=True)
        else:
            counted = signatures.confirmed()
        locked = Petition.objects.using(using).select_for_update().get(pk=petition.pk)
        by_country = dict(
            counted.order_by()
            .values("country")
            .annotate(n=Count("pk"))
            .values_list("country", "n")
        )
        tallies = dict(
            CountryTally.objects.using(using)
            .filter(petition=petition)
            .values_list("country", "signature_count")
        )
        wrong = {country: n for country, n in by_country.items() if tallies.get(country) != n}
        stale = [country for country, n in tallies.items() if n and country not in by_country]
        drift = Drift(
            petition=locked,
            counted_before=locked.signature_count,
            counted_now=sum(by_country.values()),
            tallies_corrected=len(wrong) + len(stale),
        )
        if not dry_run:
            Petition.objects.using(using).filter(pk=petition.pk).update(
                signature_count=drift.counted_now
            )
            for country, n in wrong.items():
                CountryTally.objects.using(using).update_or_create(
                    petition=petition, country=country, defaults={"signature_count": n}
                )
            CountryTally.objects.using(using).filter(petition=petition, country__in=stale).update(
                signature_count=0
            )
    return drift
