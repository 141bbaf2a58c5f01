"""
The bench's ceiling: a bare WSGI app, no framework, doing each scenario's essential work.

Served by gunicorn with the same settings as the site (`gunicorn -c gunicorn.conf.py
bench.bare_app:application`), so the ratio site / bare is what Django, its middleware and our
code cost on top of HTTP, Python and PostgreSQL on this machine, in the same run.

- `POST /sign/<petition id>/`: the same upsert of the same row as the sign view, one statement.
- `POST /confirm/<signature id>/`: the same UPDATE as confirming.
- `GET /page/<petition id>/`: a page of `BARE_PAGE_BYTES` bytes carrying the petition's count,
  read from PostgreSQL at most once every ten seconds (a cached count) and a CSRF-shaped token.

Environment: `DATABASE_URL` (postgres://...), `BARE_PAGE_BYTES`.
"""

import json
import os
import secrets
import threading
import time
from urllib.parse import parse_qs

import psycopg

from petitions.email_keys import email_key  # pure Python: no Django involved

DSN = os.environ["DATABASE_URL"]
PAGE_BYTES = int(os.environ.get("BARE_PAGE_BYTES", "20000"))
COUNT_TTL = 10.0

# Columns of later issues that the site fills with their defaults: the same row, here too.
OTHER_COLUMNS = json.loads(os.environ.get("BARE_OTHER_COLUMNS", "{}"))
SIGN_SQL = f"""
INSERT INTO petitions_signature (petition_id, full_name, email, email_key, country, comment,
  show_name_publicly, wants_updates, consented_at, consent_version, language, status,
  created_at, confirmation_mails_requested, confirmation_mails_sent, is_counted
  {"".join(f", {column}" for column in OTHER_COLUMNS)})
VALUES (%s, %s, %s, %s, %s, %s, false, false, NULL, '2026-11-21', 'en', 'pending', now(), 1, 0,
  false {", %s" * len(OTHER_COLUMNS)})
ON CONFLICT (petition_id, email_key) DO UPDATE
SET confirmation_mails_requested = petitions_signature.confirmation_mails_requested + 1,
  language = excluded.language
WHERE petitions_signature.status = 'pending'
  AND petitions_signature.confirmation_mails_requested < 3
RETURNING id
"""
CONFIRM_SQL = (
    "UPDATE petitions_signature SET status = 'confirmed', confirmed_at = now() "
    "WHERE id = %s AND status = 'pending'"
)

local = threading.local()
counts: dict[int, tuple[float, int]] = {}


def _connection() -> psycopg.Connection:
    connection = getattr(local, "connection", None)
    if connection is None or connection.closed or connection.broken:
        connection = local.connection = psycopg.connect(DSN, autocommit=True)
    return connection


def _count(petition_id: int) -> int:
    cached = counts.get(petition_id)
    if cached and time.monotonic() - cached[0] < COUNT_TTL:
        return cached[1]
    row = (
        _connection()
        .execute("SELECT signature_count FROM petitions_petition WHERE id = %s", [petition_id])
        .fetchone()
    )
    counts[petition_id] = (time.monotonic(), row[0])
    return row[0]


def _page(petition_id: int) -> bytes:
    token = secrets.token_urlsafe(48)
    head = (
        f"<!doctype html><html><body><p>{_count(petition_id)} signatures</p>"
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    ).encode()
    tail = b"</form></body></html>"
    return head + b" " * max(0, PAGE_BYTES - len(head) - len(tail)) + tail


def application(environ: dict, start_response) -> list[bytes]:
    method, parts = environ["REQUEST_METHOD"], environ["PATH_INFO"].strip("/").split("/")
    try:
        if method == "GET" and parts[0] == "page":
            body = _page(int(parts[1]))
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Set-Cookie", f"csrftoken={secrets.token_urlsafe(24)}; Path=/"),
            ]
            start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
            return [body]
        if method == "POST" and parts[0] in ("sign", "confirm"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = parse_qs(environ["wsgi.input"].read(length).decode())
            with _connection().cursor() as cursor:
                if parts[0] == "sign":
                    email = form["email"][0]
                    cursor.execute(
                        SIGN_SQL,
                        [
                            int(parts[1]),
                            form["full_name"][0],
                            email,
                            email_key(email),
                            form["country"][0],
                            form.get("comment", [""])[0],
                            *OTHER_COLUMNS.values(),
                        ],
                    )
                    cursor.fetchone()
                else:
                    cursor.execute(CONFIRM_SQL, [int(parts[1])])
            start_response("302 Found", [("Location", "/done/"), ("Content-Length", "0")])
            return [b""]
    except psycopg.Error:
        local.connection = None
        start_response("503 Service Unavailable", [("Content-Length", "0")])
        return [b""]
    start_response("404 Not Found", [("Content-Length", "0")])
    return [b""]
