from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.counting import count_signatures, reconcile_petition
from petitions.models import Petition


class Command(BaseCommand):
    help = (
        "Recount each petition's signatures from scratch, report any drift from the kept "
        "count, and correct it (unless --dry-run). Safe beside a running counting job."
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
            count_signatures()
        drifted = 0
        for each in petitions:
            drift = reconcile_petition(each, dry_run=dry_run)
            if drift.counted_before != drift.counted_now or drift.tallies_corrected:
                drifted += 1
                self.stdout.write(
                    f"{each.slug}: count {drift.counted_before} -> {drift.counted_now}, "
                    f"{drift.tallies_corrected} country tally(ies) off"
                )
        verb = "would be corrected" if dry_run else "corrected"
        self.stdout.write(f"Reconciled {len(petitions)} petition(s): {drifted} with drift {verb}.")
