"""
The choices of a country select, in the reader's language and order.

django-countries sorts names by English-centred rules: in Chinese, 台灣 came 216th of 250 and
中國 46th. Here the names are sorted by ICU's collation for the active language (CLDR's stroke
order for Traditional Chinese, pinyin for Simplified, the usual alphabet for English), and the
countries this campaign's signers most likely live in (settings.PRIORITY_COUNTRIES) come first,
as their own group.
"""

from collections.abc import Iterator
from functools import lru_cache

import icu
from django.conf import settings
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, override, to_locale
from django_countries import countries


@lru_cache(maxsize=16)
def collator(language: str) -> icu.Collator:
    """
    ICU's collation for `language`: stroke order for Traditional Chinese, pinyin for
    Simplified, the usual alphabet for English. For sorting names of countries (and others)
    as a reader of that language expects; `collator(language).getSortKey(name)` is a sort key.
    """
    return icu.Collator.createInstance(icu.Locale(to_locale(language)))


@lru_cache(maxsize=16)
def _sorted_countries(language: str, priority: tuple[str, ...]) -> tuple[tuple, tuple]:
    """(priority, rest) as (code, name) pairs in `language`; both lists are built once."""
    collator = icu.Collator.createInstance(icu.Locale(to_locale(language)))
    with override(language):
        # .strip(): a catalogue or two has a stray leading space (" 斯瓦尔巴群岛…").
        names = {code: str(name).strip() for code, name in countries}
        first = tuple((code, names[code]) for code in priority if code in names)
        rest = sorted(
            ((code, name) for code, name in names.items() if code not in priority),
            key=lambda pair: collator.getSortKey(pair[1]),
        )
    return first, tuple(rest)


def sorted_countries(language: str | None = None) -> tuple[tuple, tuple]:
    priority = tuple(code.upper() for code in settings.PRIORITY_COUNTRIES)
    return _sorted_countries(language or get_language() or settings.LANGUAGE_CODE, priority)


class CountryChoices(BaseChoiceIterator):
    """
    Lazy choices: evaluated when the form renders, in the language of that request. The
    priority countries form one option group and the rest another, after the blank choice.
    (A BaseChoiceIterator, so that Django's fields and widgets keep it lazy.)
    """

    def __init__(self, blank_label: str | Promise) -> None:
        self.blank_label = blank_label

    def __iter__(self) -> Iterator[tuple]:
        first, rest = sorted_countries()
        yield "", self.blank_label
        if first:
            yield gettext("Suggested"), list(first)
            yield gettext("All countries and regions"), list(rest)
        else:
            yield from rest
