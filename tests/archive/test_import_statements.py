import io

import pytest
from django.core.management import call_command

from archive.models import Statement, StatementSignatory, Topic
from petitions.models import Organisation
from petitions.organisation_names import match_key

from .conftest import (
    COALITION_EN,
    COALITION_ZH,
    HRIC_2000,
    SEED_SLUGS,
    TIBET_NETWORK,
    import_statements,
)

pytestmark = pytest.mark.django_db


def _all_rows() -> dict[str, list]:
    return {
        "statements": list(Statement.objects.values().order_by("pk")),
        "organisations": list(Organisation.objects.values().order_by("pk")),
        "signatories": list(StatementSignatory.objects.values().order_by("pk")),
        "topics": list(Topic.objects.values().order_by("pk")),
        "statement_topics": list(Statement.topics.through.objects.values().order_by("pk")),
    }


def test_import_creates_the_six_seed_statements_published(seeds):
    assert sorted(seeds) == sorted(SEED_SLUGS)
    assert all(statement.is_published for statement in seeds.values())


def test_importing_twice_leaves_the_same_rows(seeds):
    before = _all_rows()

    output = import_statements()

    assert _all_rows() == before
    assert "0 new" in output


def test_tibet_network_statement_has_its_121_member_groups_in_order(seeds):
    names = [o.name for o in seeds[TIBET_NETWORK].ordered_signatories()]

    assert len(names) == 121
    assert names[0] == "Aide aux Refugies Tibetains"
    assert names[-1] == "World League for Freedom and Democracy"


def test_coalition_statement_has_its_eight_organisations_in_order(seeds):
    names = [o.name for o in seeds[COALITION_EN].ordered_signatories()]

    assert names == [
        "Remember June Fourth",
        "Chinese Solidarity Campaign",
        "Democracy for Hong Kong",
        "The World Uyghur Congress",
        "Global Alliance for Tibet & Persecuted Minorities",
        "Labour Movement Solidarity for Hong Kong",
        "Uyghur Solidarity Campaign UK",
        "Tibetan Community in Britain",
    ]


def test_an_organisation_that_signed_two_statements_is_one_row(seeds):
    # The Tibetan Community in Britain signed both the Tibet Network and the coalition statement.
    organisation = Organisation.objects.get(name="Tibetan Community in Britain")

    assert set(organisation.signed_statements.values_list("slug", flat=True)) == {
        TIBET_NETWORK,
        COALITION_EN,
        COALITION_ZH,
    }
    assert Organisation.objects.filter(statement_signatures__isnull=False).distinct().count() == (
        121 + 8 - 1
    )


def test_import_reuses_an_existing_organisation_spelt_differently(demo_petition):
    existing = Organisation.objects.create(name="tibetan community in  britain.")

    import_statements()

    assert Organisation.objects.filter(name__icontains="britain").count() == 1
    assert existing.statement_signatures.count() == 3
    existing.refresh_from_db()
    assert existing.country == "GB"  # a blank country filled in from the data file


def test_import_never_overwrites_a_country_staff_set(demo_petition):
    corrected = Organisation.objects.create(name="Tibetan Community in Britain", country="IE")

    import_statements()

    corrected.refresh_from_db()
    assert corrected.country == "IE"


def test_signatories_are_only_linked_to_statements_not_endorsing_anything(seeds):
    # Truthfully: these organisations signed a statement; nothing makes them endorse a petition
    # (the demo petition's endorsers are the fictional "(demo)" organisations).
    signatories = Organisation.objects.filter(statement_signatures__isnull=False)
    assert not signatories.filter(endorsements__isnull=False).exists()
    assert StatementSignatory.objects.count() == 121 + 8 + 8


def test_chinese_coalition_statement_is_a_translation_of_the_english_one(seeds):
    chinese = seeds[COALITION_ZH]

    assert chinese.language == "zh-hant"
    assert chinese.lang_tag == "zh-Hant"
    assert chinese.original == seeds[COALITION_EN]
    assert list(seeds[COALITION_EN].other_versions()) == [chinese]


def test_announcement_of_2000_is_linked_to_the_demo_petition(seeds, demo_petition):
    assert seeds[HRIC_2000].petition == demo_petition
    assert seeds[HRIC_2000].published_on.isoformat() == "2000-07-26"
    assert seeds[HRIC_2000].publisher == "Human Rights in China"


def test_import_without_the_petition_leaves_the_link_empty(db):
    import_statements()

    assert Statement.objects.get(slug=HRIC_2000).petition is None


def test_reimport_keeps_a_statement_staff_unpublished_unpublished(seeds):
    seeds[TIBET_NETWORK].unpublish()

    import_statements()

    assert not Statement.objects.get(slug=TIBET_NETWORK).is_published


def test_authors_and_publishers_come_from_the_texts(seeds):
    dw = seeds["us-in-tiananmen-amnesty-plea"]
    hrf = seeds["25-years-after-tiananmen-human-rights-defenders-fight-for-change"]

    assert (dw.author, dw.publisher, dw.published_on.isoformat()) == (
        "Richard Connor",
        "Deutsche Welle (DW)",
        "2012-06-03",
    )
    assert (hrf.publisher, hrf.kind, hrf.published_on.isoformat()) == (
        "Human Rights First",
        "press-release",
        "2014-06-04",
    )


def test_normalised_name_ignores_case_spacing_and_punctuation():
    assert match_key("Tibet Support Group – Netherlands") == match_key(
        "tibet support group netherlands"
    )
    assert match_key("ＳＦＴ Japan") == match_key("SFT-Japan")


def test_load_demo_imports_the_archive_after_the_petitions(db):
    call_command("load_demo", stdout=io.StringIO())

    announcement = Statement.objects.get(slug=HRIC_2000)
    assert announcement.petition.slug == "tiananmen-mothers"
    assert Statement.objects.published().count() == len(SEED_SLUGS)
