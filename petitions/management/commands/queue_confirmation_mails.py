from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from petitions.models import Signature
from petitions.tasks import send_confirmation_mail


class Command(BaseCommand):
    help = (
        "Queue the confirmation mail again for pending signatures whose mail was asked for but "
        "never sent (a worker killed mid-job, the mail server down). Run it from cron every "
        "few minutes; a signer may get a mail twice, never zero times."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="MINUTES",
            help="Only signatures at least this old, so a mail still queued is left alone.",
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, older_than: int, dry_run: bool, **options: object):
        if older_than < 0:
            raise CommandError("--older-than must not be negative.")
        cutoff = timezone.now() - timedelta(minutes=older_than)
        waiting = (
            Signature.objects.awaiting_mail()
            .filter(created_at__lte=cutoff)
            .order_by("created_at")
            .values_list("pk", flat=True)
        )
        queued = 0
        for signature_id in waiting.iterator(chunk_size=1000):
            if not dry_run:
                send_confirmation_mail.enqueue(signature_id)
            queued += 1
        verb = "would be queued" if dry_run else "queued"
        self.stdout.write(f"{queued} confirmation mail(s) {verb}.")
