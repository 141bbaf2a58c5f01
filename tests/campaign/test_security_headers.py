import pytest

pytestmark = pytest.mark.django_db

STRICT_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
    "report-uri /csp-report",
    # The proof-of-work widget's workers (petitions/abuse.py): our own origin or a blob: URL.
    "worker-src 'self' blob:",
]


@pytest.mark.parametrize("path", ["/", "/zh-hant/privacy/", "/no-such-page/", "/admin/login/"])
def test_every_page_carries_the_strict_content_security_policy(client, path):
    response = client.get(path)

    policy = [directive.strip() for directive in response["Content-Security-Policy"].split(";")]
    assert sorted(policy) == sorted(STRICT_DIRECTIVES)


def test_the_policy_allows_no_inline_script_or_other_origin(client):
    policy = client.get("/")["Content-Security-Policy"]

    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy


def test_https_responses_carry_hsts_and_the_other_security_headers(client):
    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_csrf_cookie_is_secure_and_http_only(client):
    response = client.get("/admin/login/", secure=True)

    assert response.cookies["csrftoken"]["secure"] is True
    assert response.cookies["csrftoken"]["httponly"] is True
