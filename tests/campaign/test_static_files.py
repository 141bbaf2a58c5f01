"""
Static files under `runserver` (DEBUG): WhiteNoise serves them as in production (runserver's
own static handler is switched off by whitenoise.runserver_nostatic), so a path that climbs
out of the static directories is a 404, never a 500.
"""

import pytest
from django.core.management import get_commands, load_command_class
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

CLIMBING_PATHS = [
    "/static/../campaign/settings.py",
    "/static/css/../../campaign/settings.py",
    "/static/..%2fcampaign/settings.py",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..\\..\\campaign\\settings.py",
    "/static//etc/passwd",
    "/static/css/\x00.css",
]


def _runserver_status(path: str) -> int:
    """The status runserver's handler answers for a path exactly as it arrived on the wire."""
    command = load_command_class(get_commands()["runserver"], "runserver")
    options = command.create_parser("manage.py", "runserver").parse_args([])  # its defaults
    handler = command.get_handler(**vars(options))
    environ = RequestFactory()._base_environ(PATH_INFO=path)
    statuses = []
    body = handler(environ, lambda status, headers, *_: statuses.append(status))
    b"".join(body)
    return int(statuses[0].split()[0])


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.mark.parametrize("path", CLIMBING_PATHS)
def test_runserver_answers_a_path_out_of_static_with_404(debug, path):
    assert _runserver_status(path) == 404


def test_runserver_still_serves_static_files(debug):
    assert _runserver_status("/static/css/site.css") == 200
