import logging
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections

from petitions.counting import BATCH_SIZE, count_signatures

logger = logging.getLogger(__name__)


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
        if every is None:
            self.stdout.write(f"Counted {count_signatures(batch_size)} signature change(s).")
            return
        while True:
            try:
                counted = count_signatures(batch_size)
            except DatabaseError:
                # A database restart must not end the loop: the batch rolled back, so nothing
                # was half-counted; try again on a fresh connection next round.
                logger.exception("Counting failed; retrying in %s s.", every)
                close_old_connections()
            else:
                if counted:
                    self.stdout.write(f"Counted {counted} signature change(s).")
            time.sleep(every)
