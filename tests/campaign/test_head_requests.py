"""
Monitors and link checkers ask with HEAD: every page a GET can read answers HEAD the same way,
with the same status and headers and no body.
"""

import pytest

from tests.public_pages import public_page_paths

pytestmark = pytest.mark.django_db

MACHINE_PATHS = [
    "/healthz",
    "/sitemap.xml",
    "/archive/feed.atom",
    "/petitions/{petition}/count.json",
    "/petitions/proof-of-work/challenge/",
]


@pytest.fixture
def readable_paths(open_petition, closed_petition) -> list[str]:
    pages = public_page_paths(open_petition, closed_petition)
    return pages + [path.format(petition=open_petition.slug) for path in MACHINE_PATHS]


def _seen(response) -> tuple:
    return (response.status_code, sorted(response.headers), response.get("Content-Type"))


def test_every_public_page_answers_head_as_it_answers_get(client, readable_paths):
    differing = {}
    for path in readable_paths:
        got, head = client.get(path), client.head(path)
        if _seen(head) != _seen(got) or head.content:
            differing[path] = (_seen(got), _seen(head), head.content[:40])

    assert differing == {}


def test_a_petition_page_answers_head_with_200_and_no_body(client, open_petition):
    response = client.head(f"/petitions/{open_petition.slug}/")

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "text/html; charset=utf-8"
