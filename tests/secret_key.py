"""
A pytest plugin (`-p tests.secret_key`) that gives the test run a SECRET_KEY of its own.

Tests run with DEBUG off, like production, so Django refuses any key published in the
repository; a fresh random key per run is never published. It is set before pytest-django
imports the settings, and subprocesses the tests start inherit it.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
