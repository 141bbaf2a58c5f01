import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from campaign.secret_key import is_too_weak, published_secret_keys

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _start_django(script: str = "", **environment: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, as a server start would, then run `script`."""
    unset = {"SECRET_KEY", "DEBUG", "DATABASE_POOL_MAX_SIZE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=PROJECT_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "campaign.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_start_on_the_development_key_is_refused_with_a_clear_message():
    result = _start_django(DEBUG="False")

    assert result.returncode != 0
    assert "Refusing to start: DEBUG is off but SECRET_KEY is the development key" in result.stderr


def test_production_start_with_a_generated_key_succeeds():
    result = _start_django(DEBUG="False", SECRET_KEY=secrets.token_urlsafe(50))

    assert result.returncode == 0, result.stderr


# Every key the repository has ever shown (the CI template's placeholder, the old test and bench
# keys, the example file's), and every key written in its example settings today.
@pytest.mark.parametrize(
    "published_key",
    sorted(published_secret_keys(PROJECT_DIR) - {"candlelight-development-only-not-secret"}),
)
def test_production_start_on_a_key_published_in_the_repository_is_refused(published_key):
    result = _start_django(DEBUG="False", SECRET_KEY=published_key)

    assert result.returncode != 0
    assert "SECRET_KEY is a key published in the Candlelight repository" in result.stderr


def test_the_placeholder_key_once_in_the_ci_template_is_refused():
    # Finding 15: this key started a production site, and anyone could forge withdraw links.
    result = _start_django(
        DEBUG="False",
        SECRET_KEY="ci-only-placeholder-never-use-in-production-5b7e1c9d3a8f2046e7d1",
    )

    assert result.returncode != 0
    assert "Refusing to start" in result.stderr


def test_a_key_written_into_an_example_settings_file_counts_as_published(tmp_path):
    (tmp_path / ".env.example").write_text("# comment\nSECRET_KEY=" + "k3y-" * 20 + "\n")

    assert "k3y-" * 20 in published_secret_keys(tmp_path)


@pytest.mark.parametrize(
    "weak_key",
    [
        pytest.param(secrets.token_urlsafe(30), id="shorter than 50 characters"),
        pytest.param("ab" * 40, id="fewer than 5 different characters"),
        pytest.param("django-insecure-" + secrets.token_urlsafe(50), id="django-insecure- prefix"),
    ],
)
def test_production_start_on_a_key_check_deploy_calls_weak_is_refused(weak_key):
    result = _start_django(DEBUG="False", SECRET_KEY=weak_key)

    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


def test_the_refusal_judges_keys_as_the_deploy_check_does():
    from django.core.checks.security.base import _check_secret_key

    samples = ["", "x" * 60, "django-insecure-" + "abcdef" * 10, secrets.token_urlsafe(50)]
    samples += [secrets.token_urlsafe(n)[:n] for n in range(40, 60)]

    assert [is_too_weak(key) for key in samples] == [not _check_secret_key(k) for k in samples]


def test_development_start_on_the_development_key_succeeds():
    result = _start_django(DEBUG="True")

    assert result.returncode == 0, result.stderr


def test_an_unknown_tasks_backend_is_refused():
    result = _start_django(DEBUG="True", TASKS_BACKEND="carrier-pigeon")

    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of immediate, database" in result.stderr


def test_every_variable_the_settings_read_is_documented_in_env_example():
    settings_source = (PROJECT_DIR / "campaign" / "settings.py").read_text()
    documented = (PROJECT_DIR / ".env.example").read_text()
    import re

    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_source))

    assert read, "no variables found: has the settings module changed shape?"
    assert not {name for name in read if f"{name}=" not in documented}


def test_the_production_cache_url_gives_a_working_redis_cache_client():
    # Production's CACHE_URL=redis://… needs the redis package: a start that cannot import it
    # would fail on the first cached request, not at deploy time.
    result = _start_django(
        "from django.core.cache import caches; cache = caches['default'];"
        "print(type(cache).__name__, type(cache._cache.get_client()).__module__)",
        DEBUG="True",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["DegradingRedisCache", "redis.client"]


def test_postgresql_connections_are_kept_and_checked_before_reuse_without_a_pool():
    result = _start_django(
        "from django.conf import settings; db = settings.DATABASES['default'];"
        "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], 'pool' in db.get('OPTIONS', {}))",
        DEBUG="True",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/candlelight",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True", "False"]
