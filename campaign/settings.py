"""
Candlelight's only settings module.

Everything that differs between a laptop and production is read from the environment through
django-environ (see `.env.example` for every variable). The defaults run the embedded demo:
SQLite, local-memory cache, mail printed to the console and background jobs run in-process.
"""

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from campaign.secret_key import refusal

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# --- Core -----------------------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

# Only good for a laptop: a production start on this key is refused below.
DEVELOPMENT_SECRET_KEY = "candlelight-development-only-not-secret"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "Refusing to start: DEBUG is off but SECRET_KEY is the development key. "
        "Set SECRET_KEY to a long random value (for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
        "or set DEBUG=True on a development machine."
    )
# Nor on any other key anyone can read in this repository, nor one `check --deploy` calls weak.
if not DEBUG and (secret_key_refusal := refusal(SECRET_KEY, BASE_DIR)):
    raise ImproperlyConfigured(secret_key_refusal)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Absolute links in mail are built from here, never from the request's Host header, so a forged
# Host cannot redirect a confirmation link to somebody else's site.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The campaign's name where the software names itself to staff: the admin's header ("Candlelight
# staff") and the issuer staff see in their authenticator app.
CAMPAIGN_NAME = env.str("CAMPAIGN_NAME", default="Candlelight")

INSTALLED_APPS = [
    "campaign.apps.StaffAdminConfig",  # django.contrib.admin, on the two-factor admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver leaves static files to WhiteNoise, as in production. Its
    # own handler answers a path that climbs out of the static directories with a 500.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",  # archive search: index operator classes (no-op on SQLite)
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_altcha",  # its widget script, served from our static files
    "campaign",
    "petitions",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "campaign.request_body.RequestBodyMiddleware",  # before anything reads the form body
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "campaign.staff.StaffSessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "campaign.urls"
WSGI_APPLICATION = "campaign.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections, checked before reuse so a restarted server costs one failed
    # request at most, not a worker restart.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Or a connection pool per process (psycopg_pool), sized to gunicorn's threads. It saves
    # the health check's round trip on every request (measured: bench/run.py). A connection a
    # restarted server has closed fails one request and is then discarded; getting a connection
    # gives up after a few seconds, so an outage answers errors rather than piling up requests.
    if pool_size := env.int("DATABASE_POOL_MAX_SIZE", default=0):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django refuses persistent connections + pool
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": pool_size,
            "timeout": 5,
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------

CACHES = {
    # Shared by every process (Redis in production): what must be the same everywhere, such as
    # the proof-of-work's used solutions and the CSP report limit.
    "default": env.cache_url("CACHE_URL", default="locmemcache://"),
    # Each process's own memory: copies of what every request reads and any process rebuilds
    # in a moment (a rendered petition page, a petition, staff's lists). A shared cache would
    # cost each request a network round trip and the unpickling of a page for no gain.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "candlelight-process-local",
    },
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis unreachable must not fail requests: short timeouts, then each process answers from
    # its own memory for a few seconds (campaign/shared_cache.py); /healthz reports it.
    CACHES["default"]["BACKEND"] = "campaign.shared_cache.DegradingRedisCache"

# --- Mail -----------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Candlelight <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that accepts the connection and then says nothing must not hold a job worker
# forever: give up after this many seconds, and the mail job retries later.
EMAIL_TIMEOUT = 10

# --- Background jobs ------------------------------------------------------------------------

# "immediate" runs a job inside the request that queued it (the embedded default: nothing else
# to run). "database" queues jobs in PostgreSQL for `python manage.py db_worker`.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
TASK_BACKEND_CLASSES = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in TASK_BACKEND_CLASSES:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKEND_CLASSES)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKEND_CLASSES[TASKS_BACKEND]}}

# --- Petitions ------------------------------------------------------------------------------

# Days a confirmation link stays valid; after that the signer signs again for a fresh link.
CONFIRMATION_LINK_MAX_AGE_DAYS = env.int("CONFIRMATION_LINK_MAX_AGE_DAYS", default=14)
# Count a signature into the petition's total right after it is confirmed, in the request.
# Right for the embedded default (one process, jobs run in-process). With a job queue, leave it
# off and run `python manage.py count_signatures --every 10` beside the workers: no request
# then ever writes the petition row.
COUNT_SIGNATURES_INLINE = env.bool("COUNT_SIGNATURES_INLINE", default=TASKS_BACKEND == "immediate")

# --- Languages ------------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Listed first in every country select (petitions/country_choices.py), in this order: where
# this campaign's signers most likely live.
PRIORITY_COUNTRIES = env.list(
    "PRIORITY_COUNTRIES", default=["HK", "TW", "CN", "MO", "US", "GB", "CA", "AU"]
)
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Forms ----------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------

# Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER_NAME (e.g.
# HTTP_X_FORWARDED_PROTO) so Django knows the original request was HTTPS.
if proxy_header := env.str("SECURE_PROXY_SSL_HEADER_NAME", default=""):
    SECURE_PROXY_SSL_HEADER = (proxy_header, "https")
# Off by default so the test suite and a plain-HTTP demo work; production turns it on.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
# Set only by the language switcher (campaign/views.py choose_language): a year, like a setting.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): everything from our own origin, no inline script or
# style anywhere, the admin included (Django 5.2's admin passes its data in data- attributes of
# external scripts, so it needs no nonce). Browsers report violations to csp_report, which logs
# them without personal data.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        # The proof-of-work widget (django-altcha, off unless staff switch it on for a petition
        # under attack) computes in Web Workers it starts from a blob: URL.
        "worker-src": ["'self'", "blob:"],
        "report-uri": ["/csp-report"],
    },
}
# At most this many violation reports are logged per minute; the rest are counted and dropped,
# so a hostile page cannot flood the logs through the report endpoint.
CSP_REPORTS_LOGGED_PER_MINUTE = 60

# --- Client address -------------------------------------------------------------------------

# The client address is read from this request header (as Django names it: HTTP_X_REAL_IP,
# HTTP_X_FORWARDED_FOR), and only when it is set: a proxy we run writes it. Empty: the
# connection's address (REMOTE_ADDR), so a forged X-Forwarded-For counts for nothing.
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="")
# With X-Forwarded-For, how many proxies of ours append to it: the client is that many entries
# from the right (1 = the right-most entry, written by the proxy nearest to us).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)

# --- Staff accounts -------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out clients
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes: lock a username out, from one client, after this many failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
# Axes sees a keyed pseudonym of the client address, never the address itself, and logs neither
# the username nor the address.
AXES_CLIENT_IP_CALLABLE = "petitions.client_address.axes_client_pseudonym"
AXES_CLIENT_STR_CALLABLE = "petitions.client_address.axes_client_str"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "otp_token"]

# Two-factor authentication (django-otp, TOTP) for every staff login. On unless DEBUG, so
# production is safe by default; `check --deploy` warns if production turns it off.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = CAMPAIGN_NAME
# Staff sessions end after this long without a request, and this long after login in any case.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=12)

# --- Privacy --------------------------------------------------------------------------------

# The version of the privacy notice (templates/privacy.html). Bump it whenever the notice's
# wording changes: each consent records the version the signer was shown.
PRIVACY_NOTICE_VERSION = "2026-11-21"
PRIVACY_CONTROLLER_NAME = env.str("PRIVACY_CONTROLLER_NAME", default="The Candlelight campaign")
PRIVACY_CONTACT_EMAIL = env.str("PRIVACY_CONTACT_EMAIL", default="privacy@localhost")
# Read by the privacy notice and by the retention command, so both state the same numbers.
UNCONFIRMED_SIGNATURE_RETENTION_DAYS = env.int("UNCONFIRMED_SIGNATURE_RETENTION_DAYS", default=30)
PERSONAL_DATA_RETENTION_DAYS_AFTER_CLOSE = env.int(
    "PERSONAL_DATA_RETENTION_DAYS_AFTER_CLOSE", default=180
)

# Per-country counts below this many signers are never shown publicly (page and JSON), and those
# shown are rounded down to a tenth of it (CountryTally.public): anyone can confirm a few
# signatures from a small country, and a low threshold or an exact count would then reveal
# whether a real person signed from there.
PUBLIC_COUNTRY_MIN_SIGNERS = env.int("PUBLIC_COUNTRY_MIN_SIGNERS", default=100)

# --- Anti-automation (petitions/abuse.py) ---------------------------------------------------

# A form sent sooner than this after it was rendered is set aside as suspected (no person is
# that fast); one older than this is shown again, its values kept, to be sent once more.
FORM_MIN_SECONDS = env.float("FORM_MIN_SECONDS", default=2.0)
FORM_MAX_AGE_SECONDS = env.int("FORM_MAX_AGE_SECONDS", default=2 * 60 * 60)
# The proof-of-work challenge (django-altcha) is signed with a key derived from the SECRET_KEY:
# nothing more to configure or keep secret. Its replay protection uses the default cache: share
# one (CACHE_URL) between processes, or a solution could be used once per process.
ALTCHA_HMAC_KEY = hmac.new(SECRET_KEY.encode(), b"candlelight.altcha", hashlib.sha256).hexdigest()

# Error reports (mail to ADMINS, the debug page) show no submitted value, no local variable of a
# POST request and no client address: see campaign/log_privacy.py.
DEFAULT_EXCEPTION_REPORTER_FILTER = "campaign.log_privacy.PrivateExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "campaign.log_privacy.PrivateExceptionReporter"

# --- Logging --------------------------------------------------------------------------------

# Every handler redacts email and IP addresses as a last line of defence: no log line may carry
# a signer's address, whatever a library or a database error message puts in it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_personal_data": {"()": "campaign.log_privacy.RedactPersonalData"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {"plain": {"format": "{levelname} {name} {message}", "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_personal_data"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "redact_personal_data"],
        },
    },
    # Replaces Django's default handlers for its own loggers, which do not redact.
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
