"""
Staff import of endorsing organisations from a list (the management command `import_endorsements`
and the admin's upload page share this).

The format, one organisation per line, fields separated by "|":

    Name of the organisation | country code | website
    Tibet Support Group Example | GB | https://example.org
    Example Network                                  (country and website optional)
    Example Collective | | https://collective.example   (no country)
    Example Union | FR

The country is an ISO 3166 two-letter code (GB, FR, TW); the website starts with http:// or
https://. Blank lines and lines starting with "#" are skipped. Each organisation becomes an
approved endorsement without a contact person; an organisation already on record (same name,
ignoring case, spacing, punctuation and look-alike letters) is reused, and one that has already
endorsed the petition is left alone, so importing the same list twice creates nothing new.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django_countries import countries

from .forms import clean_organisation_name
from .models import Endorsement, Organisation, Petition
from .organisation_names import match_key

_is_website = URLValidator(schemes=["http", "https"])


@dataclass
class ImportReport:
    """What an import did: lines that made endorsements, and lines skipped with the reason."""

    created: list[str] = field(default_factory=list)  # a new organisation and its endorsement
    matched: list[str] = field(default_factory=list)  # an existing organisation, newly endorsing
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, reason)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.matched)} matched an existing "
            f"organisation, {len(self.skipped)} skipped."
        )

    def lines(self) -> list[str]:
        return [self.summary()] + [
            f"line {number}: skipped ({reason}): {text}" for number, text, reason in self.skipped
        ]


def _parse(line: str) -> tuple[str, str, str]:
    """(name, country code, website) of one line, or ValueError with the reason."""
    parts = [part.strip() for part in line.split("|")]
    if len(parts) > 3:
        raise ValueError("more than three fields")
    name, country, website = [*parts, "", ""][:3]
    try:
        name = clean_organisation_name(name)
    except ValidationError as error:
        raise ValueError(f"bad name: {error.messages[0]}") from error
    country = country.upper()
    if country and country not in countries:
        raise ValueError(f"bad country code {country!r}")
    if website:
        try:
            _is_website(website)
        except ValidationError as error:
            raise ValueError("bad website (http:// or https:// only)") from error
        if len(website) > 300:
            raise ValueError("bad website (longer than 300 characters)")
    return name, country, website


def import_endorsements(petition: Petition, text: str, *, by: models.Model | None) -> ImportReport:
    """Record each organisation in `text` as an approved endorsement of `petition`."""
    report = ImportReport()
    seen: set[str] = set()
    with transaction.atomic():
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                report.skipped.append((number, "", "blank"))
                continue
            if line.startswith("#"):
                continue
            try:
                name, country, website = _parse(line)
            except ValueError as error:
                report.skipped.append((number, line, str(error)))
                continue
            key = match_key(name)
            if key in seen:
                report.skipped.append((number, line, "duplicate in the file"))
                continue
            seen.add(key)
            organisation, created = Organisation.objects.get_or_create_by_name(
                name, country=country, website=website
            )
            _fill_gaps(organisation, country=country, website=website)
            _, new = Endorsement.objects.get_or_create(
                petition=petition,
                organisation=organisation,
                defaults={
                    "submitted_name": name,
                    "submitted_website": website,
                    "source": Endorsement.Source.IMPORT,
                    "status": Endorsement.Status.APPROVED,
                    "moderated_by": by,
                    "moderated_at": timezone.now(),
                },
            )
            if not new:
                report.skipped.append((number, line, "already endorsed"))
            elif created:
                report.created.append(name)
            else:
                report.matched.append(name)
        petition.recount_endorsements()
    return report


def _fill_gaps(organisation: Organisation, *, country: str, website: str) -> None:
    """Fill an existing organisation's missing country or website; never overwrite staff's."""
    changed = []
    if country and not organisation.country:
        organisation.country = country
        changed.append("country")
    if website and not organisation.website:
        organisation.website = website
        changed.append("website")
    if changed:
        organisation.save(update_fields=changed)
