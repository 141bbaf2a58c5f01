"""
The cast every test can use, and the switches that let the same suite run on a laptop
(SQLite, maybe no browser) and in CI (PostgreSQL and chromium, where nothing may be skipped).
"""

import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings
from playwright.sync_api import Page

from petitions.models import Petition

CHROMIUM = shutil.which("chromium")
VNU_JAR = Path(__file__).resolve().parent.parent / "node_modules/vnu-jar/build/dist/vnu.jar"
IN_CI = bool(os.environ.get("CI"))

# Property and fuzz tests (Hypothesis): no deadline, since a request on a loaded machine may take
# a while and that is not what they test; modest example counts, to keep the suite quick. In CI
# the examples are derived from each test's name, so a run can be repeated exactly.
hypothesis_settings.register_profile("local", deadline=None, max_examples=60)
hypothesis_settings.register_profile(
    "ci", deadline=None, max_examples=60, derandomize=True, database=None, print_blob=True
)
hypothesis_settings.load_profile("ci" if IN_CI else "local")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: needs PostgreSQL (skipped on SQLite)")
    config.addinivalue_line("markers", "browser: drives Debian's chromium through Playwright")
    config.addinivalue_line("markers", "vnu: validates HTML with the W3C Nu validator (java)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip what this machine cannot run, with the reason; in CI, refuse to skip at all."""
    on_postgresql = connection.vendor == "postgresql"
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        reasons = []
        if item.get_closest_marker("postgresql") and not on_postgresql:
            reasons.append("needs PostgreSQL: set DATABASE_URL=postgres://…")
        if item.get_closest_marker("browser") and not CHROMIUM:
            reasons.append("needs chromium: apt-get install -y chromium fonts-noto-cjk")
        if item.get_closest_marker("vnu") and not (shutil.which("java") and VNU_JAR.exists()):
            reasons.append("needs java and vnu-jar: apt-get install default-jre-headless; npm ci")
        if reasons and IN_CI:
            raise pytest.UsageError(f"CI may not skip {item.nodeid}: {'; '.join(reasons)}")
        for reason in reasons:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    # Public pages are served from the cache (petitions/page_cache.py), the mail job is queued
    # once a second (petitions/tasks.py): each test starts afresh.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_files(settings) -> None:
    # Hashed-manifest storage needs `collectstatic` first and 404s under live_server.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def log_in_with_second_factor(client: Client, user: AbstractBaseUser) -> TOTPDevice:
    """Log `client` in as `user`, verified by a TOTP device, as the admin's login form would."""
    device = TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def log_browser_in_with_second_factor(
    page: Page, live_server_url: str, user: AbstractBaseUser
) -> None:
    """Give a Playwright page a verified staff session, as if the person had typed their code."""
    client = Client()
    log_in_with_second_factor(client, user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": live_server_url}]
    )


@pytest.fixture
def admin_client(admin_user) -> Client:
    """
    pytest-django's admin_client, with the second factor: the tests run like production, where
    STAFF_REQUIRE_2FA is on and a password alone opens no admin page.
    """
    client = Client()
    log_in_with_second_factor(client, admin_user)
    return client


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Drive Debian's chromium: Playwright never downloads a browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


@pytest.fixture
def open_petition(db) -> Petition:
    return Petition.objects.create(
        slug="free-the-archive",
        status=Petition.Status.OPEN,
        title_en="Open the archives",
        title_zh_hant="開放檔案",
        title_zh_hans="开放档案",
        summary_en="Open the archives of June 1989.",
        text_en="We ask for the archives to be opened.",
        target_en="The State Archives Administration",
        goal=500,
    )


@pytest.fixture
def closed_petition(db) -> Petition:
    opened = timezone.now() - timedelta(days=60)
    return Petition.objects.create(
        slug="an-earlier-call",
        status=Petition.Status.CLOSED,
        title_en="An earlier call",
        summary_en="A petition that has closed.",
        text_en="This petition is closed.",
        target_en="The National People's Congress",
        goal=100,
        signature_count=140,
        opens_at=opened,
        closes_at=opened + timedelta(days=30),
    )


@pytest.fixture
def redis_unreachable(settings) -> None:
    """The shared cache as production configures it (campaign/shared_cache.py), on a Redis
    that refuses every connection."""
    from campaign import shared_cache

    shared_cache._unreachable_until.clear()
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "campaign.shared_cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        },
    }
    yield
    shared_cache._unreachable_until.clear()
