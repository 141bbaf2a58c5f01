"""The archive's cast: the imported seed statements, and a helper for statements of one's own."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from archive.models import Statement
from petitions.demo import create_demo_petitions
from petitions.models import Petition

TIBET_NETWORK = "tibet-network-34th-anniversary-tiananmen-square-massacre"
COALITION_EN = "coalition-statement-june-fourth-2021"
COALITION_ZH = "coalition-statement-june-fourth-2021-zh-hant"
HRIC_2000 = "support-the-tiananmen-mothers"
HRF_2014 = "25-years-after-tiananmen-human-rights-defenders-fight-for-change"
DW_2012 = "us-in-tiananmen-amnesty-plea"
SEED_SLUGS = [TIBET_NETWORK, COALITION_EN, COALITION_ZH, HRIC_2000, HRF_2014, DW_2012]

# What the web copies in ../shared/seeds carry besides the statements: none of it may show.
DEBRIS = [
    "Skip to content",
    "Skip to navigation",
    "Skip to main menu",
    "Skip to more DW sites",
    "Seeking asylum",
    "legal representation",
    "DW's Top Story",
    "Top Story",
    "More stories from DW",
    "Go to homepage",
    "Earthquake victims in Syria",
    "Share",
    "Warning: Cannot modify header information",
    "headers already sent",
    "/var/www/",
    "The website encountered an unexpected error",
    "Log in",
    "About Amnesty UK Blogs",
    "View latest posts",
    "AP Photo",
    "Platz des himmlischen Friedens",
    "Editor: Timothy Jones",
    "Published on June 4, 2014",
]


def import_statements() -> str:
    out = io.StringIO()
    call_command("import_statements", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_petition(db) -> Petition:
    return create_demo_petitions()[0]


@pytest.fixture
def seeds(demo_petition) -> dict[str, Statement]:
    """The five seed documents (six statements), imported as `load_demo` imports them."""
    import_statements()
    return {statement.slug: statement for statement in Statement.objects.all()}


def make_statement(**overrides: object) -> Statement:
    fields = {
        "title": "A statement of our own",
        "slug": "a-statement-of-our-own",
        "publisher": "Test Publisher",
        "published_on": date(2020, 6, 4),
        "body": "We remember.",
        "is_published": True,
        **overrides,
    }
    return Statement.objects.create(**fields)
