"""
Serve a public page from the cache, with the visitor's own CSRF token written in.

A petition page carries the sign form, and so a CSRF token: Django marks it `Vary: Cookie` and
no whole-page cache may share it between visitors. Rendering it is most of its cost (the form's
country list alone is 250 options), and during a surge every visitor asks for the same page. So
the page is rendered once per path (the language is in the path) every few seconds with its
token taken out, and each visitor gets the cached HTML with a fresh token of their own put back
in. The form and its CSRF protection work exactly as on a freshly rendered page; a cache hit
runs no query at all. Counts on the page are at most `seconds` older than the kept count, which
the counting job itself advances every few seconds (and count.js refreshes in the browser).

Only what is the same for everyone is cached: a GET or HEAD that carries no cookie but the CSRF
one (a session, a pending `messages` cookie: a fresh page, never cached), answered 200 with no
cookie of its own and no message queued. Nothing on the page is built from the query string
(its language links included), so one visitor's `?utm=…` never reaches the others.
"""

import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.translation import get_language

from .form_stamp import FIELD_NAME, new_form_stamp

CSRF_INPUT = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
# Stands in for the token in the cached HTML; never a valid token itself.
PLACEHOLDER = "\x00csrf\x00"
# The form's signed render time (petitions/form_stamp.py) is per render too: each copy served
# gets a stamp of the moment it was served, or every visitor would look like a replay.
STAMP_INPUT = re.compile(rf'(name="{FIELD_NAME}" value=")[^"]*(")')
STAMP_PLACEHOLDER = "\x00stamp\x00"


def _is_anonymous_read(request: HttpRequest) -> bool:
    """
    A read carrying nothing of the visitor's own but the CSRF cookie (replaced per visitor) and
    the language switcher's choice (read at `/` only: a page's language is in its path).
    """
    return request.method in ("GET", "HEAD") and set(request.COOKIES) <= {
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
    }


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """A full page the same for everyone: no cookie of its own, no message shown or queued."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(get_messages(request)) == 0
    )


def cached_public_page(seconds: int) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not _is_anonymous_read(request):
                return view(request, *args, **kwargs)
            # The path, not the full URL: a query string must not let anybody bypass the cache
            # (these views read no query parameters).
            key = f"public-page:{get_language()}:{request.path}"
            cached = caches["local"].get(key)
            if cached is None:
                response = view(request, *args, **kwargs)
                if not _is_shareable(request, response):
                    return response
                html = response.content.decode(response.charset)
                html = CSRF_INPUT.sub(rf"\g<1>{PLACEHOLDER}\g<2>", html)
                cached = (
                    STAMP_INPUT.sub(rf"\g<1>{STAMP_PLACEHOLDER}\g<2>", html),
                    response["Content-Type"],
                )
                caches["local"].set(key, cached, seconds)
                return response
            html, content_type = cached
            if PLACEHOLDER in html:
                token = escape(get_token(request))  # also sets the visitor's CSRF cookie
                html = html.replace(PLACEHOLDER, token)
            if STAMP_PLACEHOLDER in html:
                html = html.replace(STAMP_PLACEHOLDER, new_form_stamp())
            return HttpResponse(html, content_type=content_type)

        return wrapper

    return decorator
