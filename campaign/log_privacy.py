"""
Keep signers' data out of logs and error reports.

Nothing we log on purpose carries an email, a name or a raw address; this module is the last line
of defence for what we do not control: a database error quoting the duplicate email, a library
logging the client's address, the locals of a failing sign view in a mailed error report.
"""

import ipaddress
import logging
import re
from types import FrameType

from django.http import HttpRequest
from django.utils.regex_helper import _lazy_re_compile
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

REDACTED_EMAIL = "[email]"
REDACTED_ADDRESS = "[address]"

EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d])")
# Anything that might be an IPv6 address; only what ipaddress accepts is redacted, so a clock
# time such as 12:30:45 survives.
IPV6_CANDIDATE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?"
    r"(?![\w:]|\.\d)"
)


def _redact_if_address(match: re.Match) -> str:
    try:
        ipaddress.ip_address(match.group(0))
    except ValueError:
        return match.group(0)
    return REDACTED_ADDRESS


def redact(text: str) -> str:
    """The text without email addresses and IP addresses."""
    text = EMAIL.sub(REDACTED_EMAIL, text)
    text = IPV6_CANDIDATE.sub(_redact_if_address, text)  # first: it may end in an IPv4 address
    return IPV4.sub(_redact_if_address, text)


class RedactPersonalData(logging.Filter):
    """A logging filter that rewrites each record's message and traceback through `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """
    Error reports without what a signer typed or where they came from.

    Every POST value is hidden, not only those of views marked `sensitive_post_parameters`: the
    sign and endorse forms carry names and emails in every field. For a POST request the local
    variables of every frame are hidden as well, since a form's `cleaned_data` holds the same
    values. Client addresses in request.META are hidden like secrets. Active even with DEBUG on:
    a debug page on a forgotten staging server leaks as much as a mailed report.
    """

    hidden_settings = _lazy_re_compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|ADDR|FORWARDED|REAL_IP|CLIENT_IP",
        flags=re.I,
    )

    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_post_parameters(self, request: HttpRequest | None) -> dict:
        if request is None:
            return {}
        return {name: self.cleansed_substitute for name in request.POST}

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: FrameType
    ) -> list[tuple[str, object]]:
        if request is not None and request.method == "POST":
            return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)


class PrivateExceptionReporter(ExceptionReporter):
    """Django's reporter, with email and IP addresses taken out of the exception's message."""

    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        if data.get("exception_value"):
            data["exception_value"] = redact(str(data["exception_value"]))
        return data
