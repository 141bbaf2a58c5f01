"""
Import the archive's statements from Markdown files with TOML front matter.

A file looks like this (TOML between `+++` lines, then the text, paragraphs separated by blank
lines, list items starting with "- "):

    +++
    title = "…"
    slug = "…"                  # the permanent address; the key a re-import matches on
    publisher = "…"
    author = "…"                # optional
    date = 2021-06-04
    kind = "joint-statement"    # a Statement.Kind value
    language = "en"             # a Statement.Language value: en, zh-hant, zh-hans
    summary = "…"
    topics = ["june-fourth"]    # slugs from topics.toml
    source_name = "…"
    source_url = "…"            # optional: only an address the document itself gives
    petition = "…"              # optional: slug of the related petition, linked if it exists
    translation_of = "…"        # optional: slug of the statement this one translates
    signatories = [{ name = "…", country = "GB" }, …]   # optional, in the statement's order
    +++
    Text…
"""

import tomllib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from archive.models import Statement, StatementSignatory, Topic
from petitions.models import Organisation, Petition
from petitions.organisation_names import match_key, validate_matchable_name

STATEMENTS_DIR = Path(__file__).resolve().parents[2] / "statements"
FRONT_MATTER_FENCE = "+++"


def read_statement_file(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    try:
        _, front_matter, body = text.split(f"{FRONT_MATTER_FENCE}\n", 2)
        return tomllib.loads(front_matter), body.strip()
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise CommandError(f"{path.name}: no readable TOML front matter ({error})") from error


class Command(BaseCommand):
    help = (
        "Create or update the archive's statements, their topics and their signatories from "
        "Markdown files with TOML front matter. Safe to run again: it matches statements by "
        "slug and organisations by name, so nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=STATEMENTS_DIR,
            help="Folder of *.md statement files and topics.toml (default: archive/statements).",
        )

    @transaction.atomic
    def handle(self, *args: object, directory: Path, **options: object) -> None:
        if not directory.is_dir():
            raise CommandError(f"No such folder: {directory}")
        topics = self.import_topics(directory / "topics.toml")
        documents = [read_statement_file(path) for path in sorted(directory.glob("*.md"))]
        # Originals first, so that a translation finds the statement it points at.
        documents.sort(key=lambda document: "translation_of" in document[0])
        self.organisations = {o.match_key: o for o in Organisation.objects.all()}
        self.created_organisations = 0
        created = 0
        for front_matter, body in documents:
            created += self.import_statement(front_matter, body, topics)
        self.stdout.write(
            f"Imported {len(documents)} statement(s) ({created} new) and "
            f"{self.created_organisations} new organisation(s)."
        )

    def import_topics(self, path: Path) -> dict[str, Topic]:
        topics = {}
        if path.exists():
            for slug, (name_en, name_zh_hant, name_zh_hans) in tomllib.loads(
                path.read_text(encoding="utf-8")
            ).items():
                topics[slug], _ = Topic.objects.update_or_create(
                    slug=slug,
                    defaults={
                        "name_en": name_en,
                        "name_zh_hant": name_zh_hant,
                        "name_zh_hans": name_zh_hans,
                    },
                )
        return topics

    def import_statement(self, data: dict, body: str, topics: dict[str, Topic]) -> bool:
        try:
            slug = data["slug"]
            fields = {
                "title": data["title"],
                "publisher": data["publisher"],
                "author": data.get("author", ""),
                "published_on": data["date"],
                "kind": Statement.Kind(data["kind"]),
                "language": Statement.Language(data["language"]),
                "summary": data.get("summary", ""),
                "body": body,
                "source_name": data.get("source_name", ""),
                "source_url": data.get("source_url", ""),
                # Linked when the petition exists at import time; left empty otherwise.
                "petition": Petition.objects.filter(slug=data.get("petition") or "").first(),
                "original": (
                    Statement.objects.get(slug=data["translation_of"])
                    if "translation_of" in data
                    else None
                ),
                "topics": [topics[topic] for topic in data.get("topics", [])],
            }
        except (KeyError, ValueError, Statement.DoesNotExist) as error:
            raise CommandError(f"{data.get('slug', '?')}: {error!r}") from error
        statement_topics = fields.pop("topics")
        statement = Statement.objects.filter(slug=slug).first()
        created = statement is None
        if created:
            # Published when first imported; one staff have since unpublished stays so.
            statement = Statement.objects.create(slug=slug, is_published=True, **fields)
        elif changed := [
            name for name, value in fields.items() if getattr(statement, name) != value
        ]:
            # Only what changed, so an unchanged file leaves the row (and its updated_at,
            # which the sitemap reports) alone.
            for name in changed:
                setattr(statement, name, fields[name])
            statement.save(update_fields=[*changed, "updated_at"])
        statement.topics.set(statement_topics)
        self.link_signatories(statement, data.get("signatories", []))
        return created

    def link_signatories(self, statement: Statement, signatories: list[dict]) -> None:
        """List the statement's signatories in its order, reusing organisations by name."""
        wanted = [
            self.organisation(entry["name"], entry.get("country", "")) for entry in signatories
        ]
        current = [link.organisation_id for link in statement.signatory_links.all()]
        if current == [organisation.pk for organisation in wanted]:
            return
        statement.signatory_links.all().delete()
        StatementSignatory.objects.bulk_create(
            StatementSignatory(statement=statement, organisation=organisation, position=position)
            for position, organisation in enumerate(wanted, start=1)
        )

    def organisation(self, name: str, country: str) -> Organisation:
        # One key for both apps: "Tibet Support Group – Netherlands" = "Tibet Support Group
        # Netherlands", and a Cyrillic "А" is an "A".
        try:
            validate_matchable_name(name)
        except ValidationError as error:
            raise CommandError(f"signatory {name!r}: {error.messages[0]}") from error
        key = match_key(name)
        organisation = self.organisations.get(key)
        if organisation is None:
            organisation = Organisation.objects.create(name=name, country=country)
            self.organisations[key] = organisation
            self.created_organisations += 1
        elif country and not organisation.country:
            # Fill a gap, never overwrite what staff may have corrected.
            organisation.country = country
            organisation.save(update_fields=["country"])
        return organisation
