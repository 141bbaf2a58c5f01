#!/usr/bin/env python
"""
Keep the Chinese message catalogues in step with the code.

    python bin/messages.py update            # collect new strings (needs GNU gettext)
    python bin/messages.py fill FILE.json    # add translations: {"msgid": ["繁體", "简体"]}
    python bin/messages.py missing           # list strings still untranslated
    python bin/messages.py compile           # write the .mo files (pure Python, no gettext)

For a plural string, give the msgid (singular) as the key: Chinese has one plural form.
The compiled .mo files are committed, so a fresh machine without gettext shows Chinese.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ["zh_Hant", "zh_Hans"]


def catalogue(locale: str) -> Path:
    return ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"


def update() -> None:
    subprocess.run(  # noqa: S603 - our own manage.py, no user input
        [
            sys.executable, "manage.py", "makemessages", "--no-obsolete",
            *[f"--locale={locale}" for locale in LOCALES],
            "--ignore=.venv", "--ignore=tests", "--ignore=node_modules", "--ignore=bench",
            "--ignore=staticfiles",
        ],
        cwd=ROOT, check=True, env={**os.environ, "DEBUG": "true"},
    )  # fmt: skip


def fill(path: str) -> None:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    for index, locale in enumerate(LOCALES):
        po = polib.pofile(catalogue(locale))
        for entry in po:
            if entry.msgid in translations:
                text = translations[entry.msgid][index]
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: text}
                else:
                    entry.msgstr = text
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        po.save()


def missing() -> None:
    for locale in LOCALES:
        po = polib.pofile(catalogue(locale))
        for entry in po.untranslated_entries() + po.fuzzy_entries():
            print(f"{locale}: {entry.msgid!r}")


def compile_catalogues() -> None:
    for locale in LOCALES:
        po = polib.pofile(catalogue(locale))
        po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po.save()
        po.save_as_mofile(str(catalogue(locale).with_suffix(".mo")))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "fill" and len(sys.argv) == 3:
        fill(sys.argv[2])
    elif command == "missing":
        missing()
    elif command == "compile":
        compile_catalogues()
    else:
        sys.exit(__doc__)
