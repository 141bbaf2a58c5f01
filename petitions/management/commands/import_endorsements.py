"""Record a list of organisations as approved endorsements of a petition (format: see
`petitions/endorsement_import.py`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.endorsement_import import import_endorsements
from petitions.models import Petition


class Command(BaseCommand):
    help = (
        "Import endorsing organisations, one per line as 'Name | country code | website' "
        "(country and website optional), as approved endorsements of a petition. Safe to "
        "re-run: organisations that already endorsed are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("petition", help="The petition's slug.")
        parser.add_argument(
            "file", type=Path, help="A UTF-8 text file, one organisation per line."
        )

    def handle(self, *args: object, petition: str, file: Path, **options: object) -> None:
        found = Petition.objects.filter(slug=petition).first()
        if found is None:
            raise CommandError(f"No petition with the slug {petition!r}.")
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        report = import_endorsements(found, text, by=None)
        self.stdout.write("\n".join(report.lines()))
