"""
One organisation, one row: the match key two spellings of an organisation's name share, and the
free-mail providers whose addresses say nothing about who is writing.

The key follows the idea of Unicode TR39's "skeleton": NFKC, case-folded, with look-alike letters
from other scripts mapped to the Latin letter they imitate, and everything but letters and digits
dropped. "Amnesty International", "AMNESTY  international." and "Аmnesty International" (with a
Cyrillic А) all give "amnestyinternational".

Why a small table rather than a library: `confusable_homoglyphs` answers "is this string
dangerous?" but computes no skeleton to store and index, and the full TR39 data (6,000+ pairs,
which also folds "rn" into "m" and "0" into "o") would merge genuinely different names. The
look-alikes that matter for organisation names typed in our three languages are the Cyrillic
and Greek capitals and small letters that render like Latin ones; they are listed here as data,
one pair per entry, easy to review and extend. Chinese names pass through NFKC (full-width
letters and digits become ASCII) and keep their characters.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The column the key is stored in. NFKC and case-folding can make the key longer than the name
# ("ß" becomes "ss", one Arabic ligature eighteen characters), so a name is checked by its key
# (`validate_matchable_name`), not only by its own length.
MATCH_KEY_MAX_LENGTH = 200

# Cyrillic and Greek letters that look like a Latin letter in common fonts, after case-folding
# (so only small letters are needed: casefold() has already turned "А" into "а").
LOOKALIKES = {
    # Cyrillic
    "а": "a",
    "в": "b",
    "с": "c",
    "ԁ": "d",
    "е": "e",
    "ё": "e",
    "һ": "h",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "к": "k",
    "ӏ": "l",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "ԛ": "q",
    "ѕ": "s",
    "т": "t",
    "ѵ": "v",
    "ԝ": "w",
    "х": "x",
    "у": "y",
    "з": "3",
    # Greek
    "α": "a",
    "β": "b",
    "ε": "e",
    "η": "n",
    "ι": "i",
    "κ": "k",
    "μ": "u",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "γ": "y",
    "ζ": "z",
}
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKES)

# Providers anyone can open an address at: an organisation with its own domain whose contact
# writes from one of these is flagged for a closer look (not refused: small groups do this).
FREE_MAIL_DOMAINS = frozenset(
    {
        "126.com",
        "163.com",
        "aol.com",
        "fastmail.com",
        "foxmail.com",
        "gmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "googlemail.com",
        "hotmail.co.uk",
        "hotmail.com",
        "icloud.com",
        "live.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "naver.com",
        "outlook.com",
        "pm.me",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "sina.com",
        "tutanota.com",
        "web.de",
        "yahoo.co.jp",
        "yahoo.co.uk",
        "yahoo.com",
        "yahoo.com.hk",
        "yahoo.com.tw",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
    }
)


def match_key(name: str) -> str:
    """The key two spellings of one organisation's name share (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKE_TABLE)
    return "".join(character for character in folded if character.isalnum())


def validate_matchable_name(name: str) -> None:
    """
    Refuse an organisation name whose key would be empty or too long for its column. A name of
    only punctuation, emoji or combining marks has an empty key: every such name would be one
    organisation, and an endorsement under one of them would silently join another's.
    """
    key = match_key(name)
    if not key:
        raise ValidationError(
            _("Please enter the organisation's name with at least one letter or digit."),
            code="no_letters",
        )
    if len(key) > MATCH_KEY_MAX_LENGTH:
        raise ValidationError(
            _(
                "Please shorten the name: spelled out in plain letters it has more than "
                "%(limit)d characters."
            ),
            code="max_length",
            params={"limit": MATCH_KEY_MAX_LENGTH},
        )


def is_free_mail(email: str) -> bool:
    return email.rpartition("@")[2].strip().lower().rstrip(".") in FREE_MAIL_DOMAINS
