import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.counting import BATCH_SIZE, count_signatures


class Command(BaseCommand):
    help = (
        "Add newly confirmed signatures to each petition's count and country tallies (and take "
        "withdrawn or rejected ones off). Runs once, for cron, or with --every SECONDS in a "
        "loop under a supervisor. Safe to run several at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=float, metavar="SECONDS", help="Keep running, counting this often."
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args: object, every: float | None, batch_size: int, **options: object):
        if every is not None and every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        while True:
            counted = count_signatures(batch_size)
            self.stdout.write(f"Counted {counted} signature change(s).")
            if every is None:
                return
            time.sleep(every)
