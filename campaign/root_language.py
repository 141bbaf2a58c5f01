"""
Which language a visitor arriving at `/` (the one unprefixed home page) should see.

Every other public address carries its language in its path and never varies. At `/`, a
visitor who chose a language in the switcher gets that one (the cookie choose_language sets);
otherwise the browser's Accept-Language decides between English and the two Chinese scripts.

Django's own negotiation maps plain `zh` to whichever Chinese comes first in LANGUAGES
(Traditional here) and knows nothing of Cantonese; the script a reader expects follows from the
script subtag, else from the region: Taiwan, Hong Kong and Macau write Traditional, the
mainland, Singapore and Malaysia Simplified.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

TRADITIONAL = "zh-hant"
SIMPLIFIED = "zh-hans"
TRADITIONAL_REGIONS = {"tw", "hk", "mo"}


def _chinese_script(code: str) -> str | None:
    """zh-hant or zh-hans for a Chinese (or Cantonese) language tag, None for any other."""
    language, *subtags = code.split("-")
    if language not in ("zh", "yue"):
        return None
    if "hant" in subtags:
        return TRADITIONAL
    if "hans" in subtags:
        return SIMPLIFIED
    if TRADITIONAL_REGIONS & set(subtags):
        return TRADITIONAL
    # Cantonese without a script or region is mostly Hong Kong's; zh alone mostly the mainland's.
    return TRADITIONAL if language == "yue" else SIMPLIFIED


def browser_language(accept_language: str) -> str:
    """The site language that best fits an Accept-Language header, in the header's order."""
    for code, _quality in parse_accept_lang_header(accept_language):
        if code == "*":
            continue
        script = _chinese_script(code)
        if script is not None:
            return script
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def root_language(request: HttpRequest) -> str:
    """The switcher's choice if the visitor made one, else the browser's language."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return browser_language(request.headers.get("Accept-Language", ""))
