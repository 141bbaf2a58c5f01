"""What bench/run.py and bench/faults.py share: the bench database, its settings, servers."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Overridable, so that two people can run benches side by side without sharing files.
RESULTS = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
SITE_PORT = int(os.environ.get("BENCH_SITE_PORT", "8731"))
BARE_PORT = int(os.environ.get("BENCH_BARE_PORT", "8732"))
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


def bench_env(database: str, **extra: str) -> dict[str, str]:
    """
    Production settings (.ci/production.env) over plain HTTP on 127.0.0.1.

    SECURE_SSL_REDIRECT is off because there is no TLS proxy in front of the bench: every
    request would otherwise be a redirect to https://, which is not what we measure. In
    production the proxy terminates TLS and the app sees the same plain HTTP request. The
    cookies stay Secure, as in production: the load generator sends them itself, and it writes
    X-Real-IP as our proxy would (TRUSTED_PROXY_HEADER), one address per signer.
    """
    env = dict(os.environ)
    for line in (ROOT / ".ci" / "production.env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    env.update(
        {
            # A fresh key per bench run: the site refuses any key written in the repository.
            "SECRET_KEY": BENCH_SECRET_KEY,
            "DATABASE_URL": f"{PG}/{database}",
            # Redis, as production runs (docs/deployment.md): the shared cache.
            "CACHE_URL": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{SITE_PORT}",
            "SITE_URL": f"http://127.0.0.1:{SITE_PORT}",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_PROXY_SSL_HEADER_NAME": "",
            "TASKS_BACKEND": "database",
            "COUNT_SIGNATURES_INLINE": "False",
            "EMAIL_URL": "smtp://127.0.0.1:1",  # nothing is mailed unless a scenario says so
            "LOG_LEVEL": "WARNING",
            "DATABASE_POOL_MAX_SIZE": os.environ.get("DATABASE_POOL_MAX_SIZE", "8"),
            "PYTHONPATH": str(ROOT),
            **extra,
        }
    )
    return env


def recreate_database(name: str) -> None:
    """A fresh bench database, and an empty shared cache (nothing left from an earlier run)."""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    import redis

    redis.Redis.from_url(bench_env(name)["CACHE_URL"]).flushdb()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def start_gunicorn(app: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process  # it answers (the bare app has no /healthz)
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"gunicorn {app} did not start; see {log}")


def stop(process: subprocess.Popen | None) -> None:
    """Stop a process we started, by its own id (and its children, via its session)."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def query(database: str, sql: str, params: list | tuple = ()) -> list[tuple]:
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as connection:
        return connection.execute(sql, params).fetchall()
