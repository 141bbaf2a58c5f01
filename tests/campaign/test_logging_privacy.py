"""No log line and no error report carries a signer's email, name or network address."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import caches
from django.test import Client

from campaign.log_privacy import RedactPersonalData, redact

PROJECT_DIR = Path(__file__).resolve().parents[2]
SIGNER = {"full_name": "Wang Xiaoming", "email": "wang.xiaoming@example.org", "country": "HK"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("duplicate key (email)=(wang@example.org)", "duplicate key (email)=([email])"),
        ("from 203.0.113.7:51234", "from [address]:51234"),
        ("client 2001:db8::1 refused", "client [address] refused"),
        ("mapped ::ffff:192.0.2.1", "mapped [address]"),
        ("王小明 <王@例子.中国>", "王小明 <[email]>"),
        ("reached ::1.", "reached [address]."),
        ("[fe80::1%eth0] and (2001:db8:0:0:0:0:0:2)", "[[address]%eth0] and ([address])"),
    ],
)
def test_redact_removes_emails_and_addresses(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", ["at 12:30:45", "version 1.7.5", "took 2.5 s", "count 1989"])
def test_redact_leaves_times_and_versions_alone(text):
    assert redact(text) == text


def test_the_filter_redacts_arguments_and_tracebacks():
    try:
        raise ValueError("bad address 198.51.100.9")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "signer %s", ("a@b.org",), sys.exc_info()
        )

    RedactPersonalData().filter(record)

    assert record.getMessage() == "signer [email]"
    assert "198.51.100.9" not in record.exc_text
    assert "[address]" in record.exc_text


def test_every_configured_log_line_is_redacted():
    """Through the real logging configuration, in a fresh interpreter, as a server logs."""
    code = (
        "import logging, django; django.setup();"
        "logging.getLogger('django.request').warning('from %s', 'wang@example.org');"
        "logging.getLogger('axes').warning('client 203.0.113.7');"
        "logging.getLogger('petitions').info('mail to a@example.org failed')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={"DJANGO_SETTINGS_MODULE": "campaign.settings", "DEBUG": "true", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )

    assert "@example.org" not in result.stderr
    assert "203.0.113.7" not in result.stderr
    assert result.stderr.count("[email]") == 2


@pytest.mark.django_db
def test_a_failed_staff_login_logs_neither_the_username_nor_the_address(caplog, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.7")

    with caplog.at_level(logging.INFO):
        for _ in range(2):
            client.post("/admin/login/", {"username": "ops@example.org", "password": "wrong"})

    assert "AXES" in caplog.text
    assert "ops@example.org" not in caplog.text
    assert "203.0.113.7" not in caplog.text


@pytest.mark.django_db
@pytest.mark.urls("tests.campaign.failing_form_urls")
def test_the_error_report_of_a_failing_form_post_carries_no_submitted_name_or_email(settings):
    settings.ADMINS = [("Operations", "ops@example.org")]
    client = Client(raise_request_exception=False, REMOTE_ADDR="203.0.113.7")

    response = client.post("/sign/", SIGNER, HTTP_X_FORWARDED_FOR="198.51.100.9")

    assert response.status_code == 500
    (report,) = mail.outbox
    assert "RuntimeError" in report.body  # it is the report of this failure
    for value in [*SIGNER.values(), "Xiaoming", "203.0.113.7", "198.51.100.9"]:
        if value != "HK":
            assert value not in report.subject + report.body


@pytest.mark.django_db
def test_csp_reports_are_logged_without_query_strings_or_visitor_data(client, caplog):
    caches["local"].clear()
    report = {
        "csp-report": {
            "document-uri": "https://petition.example.org/petitions/x/?email=a@b.org",
            "effective-directive": "script-src-elem",
            "blocked-uri": "https://tracker.example/pixel.js?id=42",
        }
    }

    response = client.post(
        "/csp-report", json.dumps(report), content_type="application/csp-report"
    )

    assert response.status_code == 204
    assert caplog.messages == [
        "CSP violation: script-src-elem on /petitions/x/ blocked https://tracker.example"
    ]


@pytest.mark.django_db
def test_csp_reports_beyond_the_cap_are_not_logged(client, caplog, settings):
    caches["local"].clear()
    settings.CSP_REPORTS_LOGGED_PER_MINUTE = 2
    body = [{"type": "csp-violation", "body": {"effectiveDirective": "img-src"}}] * 5

    for _ in range(3):
        client.post("/csp-report", json.dumps(body), content_type="application/reports+json")

    assert len(caplog.messages) == 2


def test_a_malformed_csp_report_is_refused(client):
    response = client.post("/csp-report", "{not json", content_type="application/csp-report")

    assert response.status_code == 400
