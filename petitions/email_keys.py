"""
The canonical email key: one key per mailbox, so one person signs a petition once.

`Ann@Example.org`, ` ann@example.org ` and `ann@EXAMPLE.ORG` are one mailbox; so are
`a.n.n+x@gmail.com` and `ann@googlemail.com`. The key is what the database's unique constraint
on (petition, email key) compares; the address as typed is kept separately for sending mail.

Provider rules are data, not code: add a provider to `PROVIDERS` (or an alias to
`DOMAIN_ALIASES`) and every new signature follows it.

Plus tags: a provider listed below as stripping them documents "+anything" as delivering to the
same mailbox. For any other domain the local part is opaque (RFC 5321 leaves its meaning to the
receiving host), and on a company's own server `ann+board@` may well be a different mailbox from
`ann@`; so we keep the tag there rather than wrongly merge two people.
"""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The columns an address is stored in. The address is kept as typed (NFC-normalised): RFC 5321's
# 254 characters. Its key can be longer than what was typed, since IDNA spells each
# international label of the domain as "xn--…" (one CJK character becomes seven), and
# case-folding turns "ß" into "ss": so the key has a wider column of its own, and an address is
# checked against both after normalisation (`validate_storable_email`), never only as typed.
EMAIL_MAX_LENGTH = 254
EMAIL_KEY_MAX_LENGTH = 320


@dataclass(frozen=True)
class ProviderRule:
    ignores_dots: bool = False  # "a.n.n" and "ann" are the same mailbox
    strips_plus_tags: bool = False  # "ann+petitions" is delivered to "ann"


# Domains that are another name for the same mail system.
DOMAIN_ALIASES: dict[str, str] = {
    "googlemail.com": "gmail.com",
    "me.com": "icloud.com",
    "mac.com": "icloud.com",
    "pm.me": "proton.me",
    "protonmail.com": "proton.me",
    "protonmail.ch": "proton.me",
}

PLUS_TAGS_ONLY = ProviderRule(strips_plus_tags=True)

# Providers whose documented delivery rules merge local parts. Dots matter everywhere but Gmail.
PROVIDERS: dict[str, ProviderRule] = {
    "gmail.com": ProviderRule(ignores_dots=True, strips_plus_tags=True),
    "outlook.com": PLUS_TAGS_ONLY,
    "hotmail.com": PLUS_TAGS_ONLY,
    "live.com": PLUS_TAGS_ONLY,
    "icloud.com": PLUS_TAGS_ONLY,
    "proton.me": PLUS_TAGS_ONLY,
    "fastmail.com": PLUS_TAGS_ONLY,
}

NO_RULE = ProviderRule()


def _ascii_domain(domain: str) -> str:
    """The domain as DNS spells it: IDNA (punycode) for international names."""
    domain = domain.strip().rstrip(".")
    labels = []
    for label in domain.split("."):
        try:
            labels.append(label.encode("idna").decode("ascii"))
        except UnicodeError:
            # Not a valid IDNA label: keep the case-folded text so the key stays stable.
            labels.append(label)
    return ".".join(labels).lower()


def email_key(address: str) -> str:
    """
    The canonical key of an email address: trimmed, NFC-normalised, Unicode case-folded, with
    an ASCII (IDNA) domain and the provider's rules applied.

    Local parts are folded too: RFC 5321 allows case-sensitive mailboxes, but no provider we
    know of uses them, and treating `Ann@` and `ann@` as two people would let one person sign
    twice.
    """
    address = unicodedata.normalize("NFC", address.strip()).casefold()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    domain = _ascii_domain(domain)
    domain = DOMAIN_ALIASES.get(domain, domain)
    rule = PROVIDERS.get(domain, NO_RULE)
    if rule.strips_plus_tags:
        local = local.split("+", 1)[0]
    if rule.ignores_dots:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def validate_storable_email(address: str) -> None:
    """
    Refuse an address (already NFC-normalised, as it will be stored) whose stored forms would
    not fit their columns: the address itself, and its key.
    """
    if len(address) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("An email address has at most %(limit)d characters (this one has %(count)d)."),
            code="max_length",
            params={"limit": EMAIL_MAX_LENGTH, "count": len(address)},
        )
    if len(email_key(address)) > EMAIL_KEY_MAX_LENGTH:
        raise ValidationError(
            _(
                "This email address is too long once its domain is spelled as mail servers "
                "spell it. Please use a shorter address."
            ),
            code="key_too_long",
        )


# What stands for the hidden part of an address: always the same, so it tells nothing of the
# hidden part's length.
MASK = "•••"


def masked_email(email: str) -> str:
    """
    The address as a page may show it back to the person who typed it, to spot a typo without
    showing it whole to whoever looks over their shoulder: the local part's first character,
    then MASK, then the domain in full (international labels in their own script, as a person
    reads them): `ann+petitions@example.org` → `a•••@example.org`. A local part of a single
    character is all hidden (`•••@example.org`): showing its first would show all of it.
    """
    local, _at, domain = unicodedata.normalize("NFC", email.strip()).rpartition("@")
    if not local:
        return MASK
    first = local[0]
    # A character and the combining marks written after it (NFC leaves some uncomposed).
    for mark in local[1:]:
        if not unicodedata.combining(mark):
            break
        first += mark
    shown = first if len(local) > len(first) else ""
    return f"{shown}{MASK}@{_readable_domain(domain)}"


def _readable_domain(domain: str) -> str:
    """`xn--fiqs8s.xn--fiqz9s` as `中国.中國`; a label that is not valid IDNA stays as typed."""
    return ".".join(_readable_label(label) for label in domain.split("."))


def _readable_label(label: str) -> str:
    if label.lower().startswith("xn--"):
        try:
            return label.encode("ascii").decode("idna")
        except UnicodeError:
            return label
    return label
