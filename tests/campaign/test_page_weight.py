"""
The petition page's first load stays light for a phone on a slow or metered connection: the
HTML and everything it makes the browser fetch (stylesheets, scripts, images, icons, and what
the stylesheets point to), gzip-compressed as they travel, weigh at most 100 KB with the share
image. Until the page has a share image (og:image), the rest must leave it 40 KB: 60 KB.
"""

import gzip
import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

BUDGET_WITH_SHARE_IMAGE = 100 * 1024
# Room kept for the share image another change adds (at most 40 KB).
BUDGET_WITHOUT_SHARE_IMAGE = 60 * 1024

FETCHED = re.compile(
    r'<(?:link[^>]*\brel="(?:stylesheet|icon)"[^>]*\bhref|script[^>]*\bsrc|img[^>]*\bsrc)="([^"]+)"'
)
SHARE_IMAGE = re.compile(r'<meta property="og:image" content="([^"]+)"')
CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:)([^'\")]+)")


def _compressed(body: bytes) -> int:
    # Level 6: what a server compressing on the fly commonly uses (WhiteNoise's files, at 9,
    # come out smaller still).
    return len(gzip.compress(body, compresslevel=6))


def _static_file(url: str) -> bytes:
    path = urlsplit(url).path
    assert path.startswith("/static/"), f"{url} is not one of our static files"
    found = finders.find(path.removeprefix("/static/"))
    assert found, f"{url} is referenced but does not exist"
    with open(found, "rb") as file:
        return file.read()


def _first_load(client, path: str) -> tuple[dict[str, int], bool]:
    """
    Each thing the browser fetches for `path` on a first visit, with its compressed size; and
    whether the page has a share image (counted too: a link preview fetches it).
    """
    html = client.get(path).content
    weights = {path: _compressed(html)}
    text = html.decode()
    for url in FETCHED.findall(text):
        body = _static_file(url)
        weights[url] = _compressed(body)
        if url.endswith(".css"):
            base = url.rsplit("/", 1)[0]
            for reference in CSS_URL.findall(body.decode()):
                referenced = reference if reference.startswith("/") else f"{base}/{reference}"
                weights[referenced] = _compressed(_static_file(referenced.split("#")[0]))
    share_images = SHARE_IMAGE.findall(text)
    for url in share_images:
        weights[url] = _compressed(client.get(urlsplit(url).path).content)
    return weights, bool(share_images)


@pytest.fixture
def demo_petition_path(db) -> str:
    """The demo petition: a real text in three languages, endorsements, public signers."""
    call_command("load_demo", stdout=io.StringIO())
    return "/petitions/tiananmen-mothers/"


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-hans"])
def test_the_petition_page_first_load_stays_within_its_budget(client, demo_petition_path, prefix):
    weights, has_share_image = _first_load(client, prefix + demo_petition_path)

    total = sum(weights.values())
    budget = BUDGET_WITH_SHARE_IMAGE if has_share_image else BUDGET_WITHOUT_SHARE_IMAGE
    listing = "\n".join(f"{size / 1024:6.1f} KB  {url}" for url, size in weights.items())
    assert total <= budget, f"{total / 1024:.1f} KB > {budget / 1024:.0f} KB:\n{listing}"
    # The stylesheet and the count script are really there: the sum measures the page.
    assert any(url.endswith("bootstrap.min.css") for url in weights)
    assert any(url.endswith("count.js") for url in weights)
