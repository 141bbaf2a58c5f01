"""
Answer 400, not 500, to a form body Django cannot read.

A POST form declared `charset=utf-16` (any charset but UTF-8), or a multipart body without a
usable boundary, makes `request.POST` raise. The CSRF check reads it first; Django turns the
error into its 400 page, but that handler runs the CSRF check again (`requires_csrf_token`), reads
the body again, and the second error is a 500. Reading the body once here, before the CSRF check,
and marking a failure as Django itself does for a broken multipart body (an empty POST), means
nothing reads it again: the 400 page renders as for any other bad request.
"""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class RequestBodyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            try:
                request.POST  # noqa: B018 (parsed now, so that a failure is caught here)
            # A refused charset (BadRequest), a broken multipart body, or a codec that fails on
            # what was sent (LookupError, UnicodeError: a ValueError).
            except (BadRequest, MultiPartParserError, LookupError, ValueError) as error:
                request._mark_post_parse_error()
                raise BadRequest("The form body could not be read.") from error
        return self.get_response(request)
