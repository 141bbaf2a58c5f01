"""/csp-report takes whatever anyone posts to it: a bad report is a 400 or ignored, never a 500."""

import json

import pytest
from django.test import Client

from campaign.views import CSP_REPORT_MAX_BYTES

pytestmark = pytest.mark.django_db


def _report(**violation: object) -> str:
    return json.dumps({"csp-report": violation})


def _reporting_api(body: object) -> str:
    return json.dumps([{"type": "csp-violation", "body": body}])


UNPARSABLE_URI = "http://[x"

# (what it is, the body): each is something no browser sends, and the endpoint must survive it.
BAD_BODIES = [
    ("empty", ""),
    ("not JSON", "{not json"),
    ("not UTF-8", b"\xff\xfe\xfa{}"),
    ("nested deeper than the parser recurses", "[" * 5000 + "]" * 5000),
    ("nested objects", '{"a":' * 5000 + "1" + "}" * 5000),
    ("a number longer than Python converts", "1" * 5000),
    (
        "larger than the limit, so cut off",
        _report(**{"document-uri": "x" * 3 * CSP_REPORT_MAX_BYTES}),
    ),
    ("JSON null", "null"),
    ("a list of numbers", "[1, 2, 3]"),
    ("csp-report not an object", json.dumps({"csp-report": [1, 2]})),
    ("an unparsable document-uri", _report(**{"document-uri": UNPARSABLE_URI})),
    ("an unparsable blocked-uri", _report(**{"blocked-uri": UNPARSABLE_URI})),
    ("an unparsable documentURL", _reporting_api({"documentURL": UNPARSABLE_URI})),
    ("an unparsable blockedURL", _reporting_api({"blockedURL": UNPARSABLE_URI})),
    ("an IPv6 host never closed", _report(**{"document-uri": "https://[::1/x"})),
    ("values of the wrong type", _report(**{"document-uri": {"a": 1}, "blocked-uri": [None]})),
    ("a directive that is an object", _reporting_api({"effectiveDirective": {"x": [1]}})),
    (
        "NUL and a lone surrogate",
        _report(**{"document-uri": "\x00\ud800", "blocked-uri": "\ud800:"}),
    ),
    ("a huge port", _report(**{"document-uri": "http://example.org:99999999999/"})),
]


@pytest.mark.parametrize(("what", "body"), BAD_BODIES, ids=[what for what, _ in BAD_BODIES])
def test_a_bad_report_is_refused_or_ignored_never_an_error(what, body):
    client = Client(raise_request_exception=False)

    response = client.post("/csp-report", body, content_type="application/csp-report")

    assert response.status_code in (204, 400), what


def test_a_report_naming_an_unparsable_page_is_logged_without_the_page(caplog):
    response = Client().post(
        "/csp-report",
        _report(**{"document-uri": UNPARSABLE_URI, "effective-directive": "img-src"}),
        content_type="application/csp-report",
    )

    assert response.status_code == 204
    assert caplog.messages == ["CSP violation: img-src on  blocked "]


def test_a_report_is_taken_while_redis_is_unreachable(redis_unreachable, caplog):
    response = Client(raise_request_exception=False).post(
        "/csp-report",
        _report(**{"document-uri": "https://example.org/a", "effective-directive": "img-src"}),
        content_type="application/csp-report",
    )

    assert response.status_code == 204
    assert "CSP violation: img-src on /a blocked " in caplog.messages
