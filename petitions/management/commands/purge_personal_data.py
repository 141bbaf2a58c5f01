from django.core.management.base import BaseCommand, CommandError

from petitions.retention import BATCH_SIZE, purge_personal_data


class Command(BaseCommand):
    help = (
        "Delete unconfirmed signatures and endorsements after "
        "UNCONFIRMED_SIGNATURE_RETENTION_DAYS, erase client hashes after a day, and erase "
        "signers' and endorsement contacts' personal data "
        "PERSONAL_DATA_RETENTION_DAYS_AFTER_CLOSE days after a petition closes, keeping the "
        "counts. Safe to run from cron and to interrupt: batches, each its own transaction."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go, change nothing."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, dry_run: bool, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        purge = purge_personal_data(batch_size=batch_size, dry_run=dry_run)
        self.stdout.write(f"{'Would purge' if dry_run else 'Purged'}: {purge}.")
