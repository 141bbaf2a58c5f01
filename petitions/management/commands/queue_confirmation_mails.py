from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from petitions.models import Signature
from petitions.tasks import send_owed_confirmation_mails


class Command(BaseCommand):
    help = (
        "Queue the confirmation mail job again when a pending signature's mail (or a confirmed "
        "one's 'already signed' mail) was asked for and has not been sent for a while (a worker "
        "killed mid-job, the mail server down past "
        "the last retry). The job sends every mail owed. Run it from cron every few minutes; a "
        "signer may get a mail twice, never zero times."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="MINUTES",
            help="Only for signatures at least this old, so a mail still queued is left alone.",
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, older_than: int, dry_run: bool, **options: object):
        if older_than < 0:
            raise CommandError("--older-than must not be negative.")
        cutoff = timezone.now() - timedelta(minutes=older_than)
        overdue = (
            Signature.objects.awaiting_mail().filter(created_at__lte=cutoff).count()
            + Signature.objects.awaiting_already_signed_mail()
            .filter(already_signed_mail_requested_at__lte=cutoff)
            .count()
        )
        if overdue and not dry_run:
            send_owed_confirmation_mails.enqueue()
        verb = "would be queued" if dry_run else "queued"
        self.stdout.write(f"{overdue} confirmation mail(s) {verb}.")
