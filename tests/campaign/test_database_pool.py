"""DATABASE_POOL_MAX_SIZE puts a psycopg connection pool in place of persistent connections."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]

SHOW_POOL = """
import django; django.setup()
from django.db import connection
connection.ensure_connection()
print(connection.pool.max_size, connection.settings_dict["CONN_MAX_AGE"])
"""


@pytest.mark.postgresql
def test_a_pool_replaces_persistent_connections_when_sized():
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    result = subprocess.run(
        [sys.executable, "-c", SHOW_POOL],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "campaign.settings",
            "DATABASE_URL": f"{server}/postgres",
            "DATABASE_POOL_MAX_SIZE": "3",
        },
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "0"]
