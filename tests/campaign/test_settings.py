import os
import subprocess
import sys
from pathlib import Path

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


def test_production_start_with_a_real_key_succeeds():
    result = _start_django(DEBUG="False", SECRET_KEY="a-real-secret-" + "x" * 40)

    assert result.returncode == 0, result.stderr


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
