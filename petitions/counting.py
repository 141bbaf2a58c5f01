"""
Counting signatures: the petition's total and its per-country tallies, advanced in batches.

No signing or confirming request touches the petition row: a viral petition must not serialise
its signers on one counter. Instead `count_signatures()` (run every few seconds by the
`count_signatures` command or task, or inline after a confirmation in the embedded setup)
takes the signatures whose status and `is_counted` flag disagree (or whose country staff
corrected after counting), changes the totals by the difference and flips the flags, all in one
transaction. Each counted row remembers the country and day it was counted under, so taking it
off never touches a tally that did not count it. Rows are claimed with `FOR UPDATE SKIP
LOCKED`, so several jobs may run at once without counting a row twice.

`reconcile_counts()` recounts from scratch, for drift from hand edits or bugs: the totals, the
country tallies and the dashboard's daily tallies, and each row's record of where it counts.
"""

import logging
from collections import Counter
from dataclasses import dataclass

from django.db import DataError, IntegrityError, connections, router, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import CountryTally, DailyTally, Petition, Signature

BATCH_SIZE = 1000

logger = logging.getLogger(__name__)


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


# What the counting job reads of each row: where it should be counted now, and where it was.
_COUNTING_COLUMNS = (
    "pk",
    "petition_id",
    "country",
    "status",
    "confirmed_at",
    "is_counted",
    "counted_country",
    "counted_on",
)


def _claim(using: str) -> "QuerySet[Signature]":
    """Rows waiting to be counted, locked; rows another job holds are left to it."""
    return (
        Signature.objects.using(using)
        .awaiting_count()
        .select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list(*_COUNTING_COLUMNS)
    )


def _count_rows(using: str, rows: list[tuple]) -> None:
    """
    Move the totals by what these claimed rows say and record where each is now counted.

    A counted row comes off the tallies it was counted in (`counted_country`, `counted_on`),
    never off its current country: staff may have corrected that since, and the tally of the
    new country never counted it. A confirmed row goes (back) onto its current country's.
    """
    per_petition: Counter = Counter()
    per_country: Counter = Counter()
    per_day: Counter = Counter()
    counted, uncounted = [], []
    for pk, petition_id, country, status, confirmed_at, is_counted, was_country, was_day in rows:
        if is_counted:
            per_petition[petition_id] -= 1
            per_country[(petition_id, was_country)] -= 1
            if was_day:
                per_day[(petition_id, was_day)] -= 1
        if status == Signature.Status.CONFIRMED:
            counted.append(pk)
            per_petition[petition_id] += 1
            per_country[(petition_id, country)] += 1
            if confirmed_at:
                per_day[(petition_id, timezone.localdate(confirmed_at))] += 1
        else:
            uncounted.append(pk)
    for petition_id, delta in sorted(per_petition.items()):
        if delta:
            Petition.objects.using(using).filter(pk=petition_id).update(
                signature_count=F("signature_count") + delta
            )
    _add_to_tallies(using, per_country)
    _add_to_days(using, per_day)
    signatures = Signature.objects.using(using)
    if counted:
        # The rows are locked: their country and confirmation time are the ones read above.
        # TruncDate takes the day in the current time zone, as timezone.localdate does.
        signatures.filter(pk__in=counted).update(
            is_counted=True, counted_country=F("country"), counted_on=TruncDate("confirmed_at")
        )
    if uncounted:
        signatures.filter(pk__in=uncounted).update(
            is_counted=False, counted_country="", counted_on=None
        )


def _count_one(using: str, pk: int) -> bool:
    """Count one row in its own transaction; False if it was not counted (and why is logged)."""
    try:
        with transaction.atomic(using=using):
            rows = list(_claim(using).filter(pk=pk))
            _count_rows(using, rows)
    except (IntegrityError, DataError) as error:
        # The id and the error's kind only: the message may quote the row, and logs must not
        # carry a signer's personal data.
        logger.error(
            "Signature %s could not be counted (%s); run reconcile_counts to repair the tallies.",
            pk,
            type(error).__name__,
        )
        return False
    return bool(rows)


def _count_one_by_one(using: str, batch_size: int) -> int:
    """
    Count up to `batch_size` rows, each in its own transaction, passing over the rows that
    fail: slower than a batch, but a row the totals cannot take never holds back the others,
    even those after it in the counting order.
    """
    counted, after = 0, 0
    while counted < batch_size:
        waiting = list(
            Signature.objects.using(using)
            .awaiting_count()
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not waiting:
            break
        for pk in waiting:
            after = pk
            counted += _count_one(using, pk)
            if counted == batch_size:
                break
    return counted


def count_batch(batch_size: int = BATCH_SIZE) -> int:
    """
    Count one batch of signatures waiting to be counted; return how many were counted.

    If the batch cannot be applied (a tally that drifted below what one of its rows counted
    trips the non-negative check), its work is redone row by row: one bad row must never stop
    every petition's count. Reconciliation repairs the tallies and the row.
    """
    using = router.db_for_write(Signature)
    try:
        with transaction.atomic(using=using):
            rows = list(_claim(using)[:batch_size])
            _count_rows(using, rows)
        return len(rows)
    except (IntegrityError, DataError):
        return _count_one_by_one(using, batch_size)


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
    days_corrected: int = 0


def _corrections(kept: dict, recounted: dict) -> tuple[dict, list]:
    """The keys whose kept figure is wrong (with the right one), and kept ones that should be 0."""
    wrong = {key: n for key, n in recounted.items() if kept.get(key) != n}
    stale = [key for key, n in kept.items() if n and key not in recounted]
    return wrong, stale


def reconcile_petition(petition: Petition, *, dry_run: bool = False) -> Drift:
    """
    Recount one petition from its confirmed signatures and correct the total and the country
    and daily tallies.

    Order matters for concurrency with a running counting job: first make every row's counted
    flag, country and day follow its status, country and confirmation (this waits for rows a
    job holds, and holds nothing the job needs), then lock the petition row and set the totals
    to what the rows now say. A job that claims rows after the first step finds the totals
    already matching the rows it will change.
    """
    using = router.db_for_write(Signature)
    day = TruncDate("confirmed_at")
    with transaction.atomic(using=using):
        signatures = Signature.objects.using(using).filter(petition=petition)
        if not dry_run:
            signatures.confirmed().filter(
                Q(is_counted=False) | ~Q(counted_country=F("country")) | ~Q(counted_on=day)
            ).update(is_counted=True, counted_country=F("country"), counted_on=day)
            signatures.exclude(status=Signature.Status.CONFIRMED).filter(
                Q(is_counted=True) | ~Q(counted_country="") | Q(counted_on__isnull=False)
            ).update(is_counted=False, counted_country="", counted_on=None)
            counted = signatures.filter(is_counted=True)
        else:
            counted = signatures.confirmed().annotate(
                counted_country_now=F("country"), counted_on_now=day
            )
        country_column, day_column = (
            ("counted_country_now", "counted_on_now")
            if dry_run
            else ("counted_country", "counted_on")
        )
        locked = Petition.objects.using(using).select_for_update().get(pk=petition.pk)
        by_country = dict(
            counted.order_by()
            .values(country_column)
            .annotate(n=Count("pk"))
            .values_list(country_column, "n")
        )
        by_day = dict(
            counted.exclude(**{f"{day_column}__isnull": True})
            .order_by()
            .values(day_column)
            .annotate(n=Count("pk"))
            .values_list(day_column, "n")
        )
        tallies = CountryTally.objects.using(using).filter(petition=petition)
        days = DailyTally.objects.using(using).filter(petition=petition)
        wrong, stale = _corrections(
            dict(tallies.values_list("country", "signature_count")), by_country
        )
        wrong_days, stale_days = _corrections(
            dict(days.values_list("day", "signature_count")), by_day
        )
        drift = Drift(
            petition=locked,
            counted_before=locked.signature_count,
            counted_now=sum(by_country.values()),
            tallies_corrected=len(wrong) + len(stale),
            days_corrected=len(wrong_days) + len(stale_days),
        )
        if not dry_run:
            Petition.objects.using(using).filter(pk=petition.pk).update(
                signature_count=drift.counted_now
            )
            for country, n in wrong.items():
                CountryTally.objects.using(using).update_or_create(
                    petition=petition, country=country, defaults={"signature_count": n}
                )
            tallies.filter(country__in=stale).update(signature_count=0)
            for each_day, n in wrong_days.items():
                DailyTally.objects.using(using).update_or_create(
                    petition=petition, day=each_day, defaults={"signature_count": n}
                )
            days.filter(day__in=stale_days).update(signature_count=0)
    return drift
