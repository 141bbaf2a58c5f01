"""`manage.py check --deploy` under the production settings that CI checks (.ci/production.env)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from campaign.checks import (
    inline_counting_check,
    staff_two_factor_check,
    task_backend_check,
    trusted_proxy_check,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = PROJECT_DIR / ".ci" / "production.env"


def _production_environment() -> dict[str, str]:
    lines = PRODUCTION_ENV.read_text().splitlines()
    pairs = [line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip(): value.strip() for name, value in pairs}


def _deploy_check(**overrides: str) -> subprocess.CompletedProcess:
    # Only the production variables: nothing from this shell or the test run leaks in. The key is
    # made up here, as a deployment makes up its own: production.env publishes none.
    environment = {
        "PATH": os.environ["PATH"],
        **_production_environment(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_deploy_check_passes_with_no_warning_under_production_settings():
    result = _deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_when_production_turns_staff_2fa_off():
    result = _deploy_check(STAFF_REQUIRE_2FA="False")

    assert result.returncode != 0
    assert "campaign.W001" in result.stderr


def test_the_production_template_publishes_no_secret_key():
    assert "SECRET_KEY" not in _production_environment()


def test_every_production_variable_is_documented_in_env_example():
    documented = (PROJECT_DIR / ".env.example").read_text()

    assert not [name for name in _production_environment() if f"{name}=" not in documented]


@override_settings(DEBUG=True, STAFF_REQUIRE_2FA=False)
def test_a_development_machine_may_run_without_staff_2fa():
    assert staff_two_factor_check(None) == []


@override_settings(TRUSTED_PROXY_HEADER="X-Real-IP")
def test_a_proxy_header_not_named_as_django_names_it_is_reported():
    assert [warning.id for warning in trusted_proxy_check(None)] == ["campaign.W002"]


def test_the_production_template_queues_jobs_and_counts_outside_requests():
    production = _production_environment()

    assert production["TASKS_BACKEND"] == "database"
    assert production["COUNT_SIGNATURES_INLINE"] == "False"


def test_the_deploy_check_fails_when_production_runs_jobs_inside_requests():
    result = _deploy_check(TASKS_BACKEND="immediate", COUNT_SIGNATURES_INLINE="False")

    assert result.returncode != 0
    assert "campaign.W006" in result.stderr


def test_the_deploy_check_fails_when_production_counts_inside_requests():
    result = _deploy_check(COUNT_SIGNATURES_INLINE="True")

    assert result.returncode != 0
    assert "campaign.W007" in result.stderr


@override_settings(
    DEBUG=True,
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    COUNT_SIGNATURES_INLINE=True,
)
def test_a_development_machine_may_run_jobs_and_counting_in_the_request():
    assert task_backend_check(None) == []
    assert inline_counting_check(None) == []
