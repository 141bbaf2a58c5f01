import io
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


def test_system_checks_pass():
    call_command("check", stdout=io.StringIO())


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


@pytest.mark.parametrize("locale", ["zh_Hant", "zh_Hans"])
def test_message_catalogue_is_complete_and_compiled(locale):
    # The compiled .mo files are committed so a machine without GNU gettext shows Chinese.
    po = polib.pofile(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po")
    mo = polib.mofile(LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo")

    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr for entry in mo}
    stale = [
        entry.msgid
        for entry in po.translated_entries()
        if compiled.get((entry.msgctxt, entry.msgid)) != entry.msgstr and not entry.msgid_plural
    ]
    assert not untranslated, f"untranslated in {locale}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {locale}: {fuzzy[:10]}"
    assert not stale, f"django.mo is out of date in {locale}: run compilemessages ({stale[:5]})"


@pytest.mark.django_db
def test_demo_content_can_be_loaded_twice_without_duplicates():
    from petitions.models import Petition

    call_command("load_demo", stdout=io.StringIO())
    first = list(Petition.objects.values_list("slug", flat=True))
    call_command("load_demo", stdout=io.StringIO())

    assert list(Petition.objects.values_list("slug", flat=True)) == first
    assert Petition.objects.get(slug="tiananmen-mothers").is_open
