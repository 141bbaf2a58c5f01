"""Site-wide pages: the home page, About, the privacy notice, the health check, CSP reports."""

import json
import logging
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_vary_headers
from django.utils.timezone import now
from django.utils.translation import get_language, get_language_from_path, override
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from archive.models import Statement
from campaign.root_language import root_language
from campaign.shared_cache import DegradingRedisCache
from petitions.models import Petition

LATEST_STATEMENTS_ON_HOME = 3
CSP_REPORT_MAX_BYTES = 8192

csp_logger = logging.getLogger("candlelight.csp")


def home(request: HttpRequest) -> HttpResponse:
    if get_language() == settings.LANGUAGE_CODE:
        # `/`, the one address without a language prefix: a Chinese browser (or a visitor who
        # chose Chinese in the switcher) goes on to its Chinese home page. Only this address
        # varies with the visitor; every other one stays the same for everyone, and cacheable.
        response = _home_for_visitor(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
    return _home_page(request)


def _home_for_visitor(request: HttpRequest) -> HttpResponse:
    language = root_language(request)
    if language == settings.LANGUAGE_CODE:
        return _home_page(request)
    with override(language):
        return redirect(reverse("home"))


def _home_page(request: HttpRequest) -> HttpResponse:
    petitions = list(Petition.objects.open())
    context = {
        "petitions": petitions,
        # The hero's one button: the newest open petition a person can sign now.
        "petition_to_sign": next((p for p in petitions if p.signing_is_open), None),
        # One item per statement, in the reader's language where it exists (archive.models).
        "statements": Statement.objects.published().items(
            [
                group["root"]
                for group in Statement.objects.published().groups()[:LATEST_STATEMENTS_ON_HOME]
            ],
            reader=get_language(),
        ),
    }
    return render(request, "home.html", context)


@never_cache
def choose_language(request: HttpRequest, target: str = "") -> HttpResponse:
    """
    The language switcher's links: `/choose-language/<the page in that language>` remembers
    the choice in the language cookie (which only `/` reads: see campaign/root_language.py)
    and goes on to the page. The target is a path of this site's public pages and nothing
    else, so the link can never lead to another site.
    """
    path = "/" + target
    if "\\" in path or path.startswith("//"):
        raise Http404
    language = get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with override(language):  # i18n_patterns match the active language's prefix only
            resolve(path)
    except Resolver404:
        raise Http404 from None
    response = redirect(path)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "about.html")


def privacy(request: HttpRequest) -> HttpResponse:
    context = {
        "controller": settings.PRIVACY_CONTROLLER_NAME,
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
        "unconfirmed_days": settings.UNCONFIRMED_SIGNATURE_RETENTION_DAYS,
        "days_after_close": settings.PERSONAL_DATA_RETENTION_DAYS_AFTER_CLOSE,
    }
    return render(request, "privacy.html", context)


def _shared_cache_is_up() -> bool:
    """Whether the shared cache (Redis in production) answers, without failing if it does not."""
    shared = caches["default"]
    if isinstance(shared, DegradingRedisCache):
        return shared.is_reachable()
    try:
        shared.get("healthz")
    except Exception:  # any backend's error: the answer is "down", whatever its cause
        return False
    return True


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """
    For load balancers: 200 while the database answers a query, 503 when it does not. Without
    the shared cache the site still serves and takes signatures, degraded (see
    campaign/shared_cache.py): still 200, with "status": "degraded" for monitoring.
    """
    cache_state = "up" if _shared_cache_is_up() else "down"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse(
            {"status": "unavailable", "database": "down", "cache": cache_state}, status=503
        )
    status = "ok" if cache_state == "up" else "degraded"
    return JsonResponse({"status": status, "database": "up", "cache": cache_state})


def _split(uri: object) -> SplitResult:
    """A reported URI's parts; one Python cannot parse (`http://[x`) has none."""
    try:
        return urlsplit(str(uri or ""))
    except ValueError:
        return SplitResult("", "", "", "", "")


def _origin_or_keyword(uri: object) -> str:
    """A blocked URI reduced to its origin ("inline", "eval" stay): no path, no query string."""
    parts = _split(uri)
    return (
        f"{parts.scheme}://{parts.netloc}" if parts.netloc else str(uri or "").split(":")[0][:40]
    )


def _may_log_another_report() -> bool:
    """True while fewer than CSP_REPORTS_LOGGED_PER_MINUTE reports were logged this minute."""
    minute_key = f"csp-reports:{now():%Y%m%d%H%M}"
    cache.add(minute_key, 0, timeout=120)
    try:
        return cache.incr(minute_key) <= settings.CSP_REPORTS_LOGGED_PER_MINUTE
    except ValueError:  # the key expired (or was evicted) between the two calls
        return False


def _violations(body: object) -> list[dict]:
    """Violations from either report format: report-uri's object or the Reporting API's list."""
    if isinstance(body, dict) and isinstance(body.get("csp-report"), dict):
        return [body["csp-report"]]
    if isinstance(body, list):
        return [
            report["body"]
            for report in body
            if isinstance(report, dict) and isinstance(report.get("body"), dict)
        ]
    return []


@csrf_exempt  # browsers post reports without a token
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """
    Log Content-Security-Policy violations that browsers report: which directive, on which page
    (path only), blocking what (origin only). Nothing about the visitor is logged, and at most
    CSP_REPORTS_LOGGED_PER_MINUTE reports a minute, so the endpoint cannot flood the logs.
    """
    try:
        body = json.loads(request.read(CSP_REPORT_MAX_BYTES))
    # Anything a browser would never send: not JSON, cut off at the size limit, nested deeper
    # than the parser recurses, numbers longer than Python converts.
    except (ValueError, RecursionError):
        return HttpResponse(status=400)
    for violation in _violations(body):
        if not _may_log_another_report():
            break
        directive = violation.get("effectiveDirective") or violation.get(
            "effective-directive", violation.get("violated-directive", "")
        )
        page = violation.get("documentURL") or violation.get("document-uri", "")
        blocked = violation.get("blockedURL") or violation.get("blocked-uri", "")
        csp_logger.warning(
            "CSP violation: %s on %s blocked %s",
            str(directive)[:60],
            _split(page).path[:200],
            _origin_or_keyword(blocked),
        )
    return HttpResponse(status=204)
