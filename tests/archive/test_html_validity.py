import pytest

from .conftest import SEED_SLUGS
from .html_validation import html_errors

pytestmark = [pytest.mark.django_db, pytest.mark.vnu]

LANGUAGE_PREFIXES = ["", "/zh-hant", "/zh-hans"]


def test_archive_pages_pass_the_w3c_nu_validator_in_every_language(client, seeds):
    addresses = []
    for prefix in LANGUAGE_PREFIXES:
        addresses += [f"{prefix}/", f"{prefix}/archive/", f"{prefix}/archive/?q=Tiananmen"]
        addresses += [f"{prefix}/archive/?q=聲明&language=zh-hant", f"{prefix}/archive/?q=nothing"]
        addresses += [f"{prefix}/archive/{slug}/" for slug in SEED_SLUGS]
    documents = {}
    for address in addresses:
        response = client.get(address)
        assert response.status_code == 200, address
        documents[address] = response.content.decode()

    errors = html_errors(documents)

    assert errors == {}


def test_the_validator_reports_invalid_html():
    broken = "<!doctype html><html lang=en><head><title>x</title></head><body><p>x<div></body>"

    errors = html_errors({"broken": broken})

    assert "Unclosed element “div”" in " ".join(errors["broken"])
