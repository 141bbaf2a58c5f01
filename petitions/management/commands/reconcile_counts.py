import logging

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from petitions.counting import count_signatures, reconcile_petition
from petitions.models import Petition

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Recount each petition's signatures from scratch, report any drift from the kept "
        "count, country and daily tallies, and correct it (unless --dry-run). Safe beside a "
        "running counting job."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--petition", metavar="SLUG", help="Only this petition.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report drift without correcting it."
        )

    def handle(self, *args: object, petition: str | None, dry_run: bool, **options: object):
        petitions = Petition.objects.order_by("pk")
        if petition:
            petitions = petitions.filter(slug=petition)
            if not petitions.exists():
                raise CommandError(f"No petition with the slug {petition!r}.")
        if not dry_run:
            # Counting first only saves work: the recount below corrects every row and total
            # whatever state they are in, so a counting failure must never stop it.
            try:
                count_signatures()
            except DatabaseError:
                logger.exception("Counting failed; reconciling from the signatures anyway.")
        drifted = 0
        for each in petitions:
            drift = reconcile_petition(each, dry_run=dry_run)
            if (
                drift.counted_before != drift.counted_now
                or drift.tallies_corrected
                or drift.days_corrected
            ):
                drifted += 1
                self.stdout.write(
                    f"{each.slug}: count {drift.counted_before} -> {drift.counted_now}, "
                    f"{drift.tallies_corrected} country tally(ies) off, "
                    f"{drift.days_corrected} daily tally(ies) off"
                )
        verb = "would be corrected" if dry_run else "corrected"
        self.stdout.write(f"Reconciled {len(petitions)} petition(s): {drifted} with drift {verb}.")
