import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from tests.accessibility import assert_accessible

pytestmark = pytest.mark.django_db

LANGUAGES = ["", "/zh-hant", "/zh-hans"]


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [("", "Privacy notice"), ("/zh-hant", "隱私聲明"), ("/zh-hans", "隐私声明")],
)
def test_the_privacy_notice_is_published_in_each_language(client, prefix, heading):
    response = client.get(f"{prefix}/privacy/")

    assert response.status_code == 200
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", response.content.decode()) == [heading]


@pytest.mark.parametrize(
    "section",
    [
        "Who is responsible for your data",
        "What we collect and why",
        "Lawful basis",
        "What is public",
        "How long we keep it",
        "How to withdraw",
        "Your rights and whom to contact",
    ],
)
def test_the_notice_answers_each_question_the_law_asks(client, section):
    assert section in client.get("/privacy/").content.decode()


def test_the_notice_names_the_controller_and_the_contact_address_from_settings(client, settings):
    settings.PRIVACY_CONTROLLER_NAME = "Friends of the Tiananmen Mothers e.V."
    settings.PRIVACY_CONTACT_EMAIL = "privacy@friends.example"

    page = client.get("/privacy/").content.decode()

    assert "Friends of the Tiananmen Mothers e.V. runs this site" in page
    assert 'href="mailto:privacy@friends.example"' in page


def test_the_notice_states_the_retention_periods_the_retention_command_applies(client, settings):
    settings.UNCONFIRMED_SIGNATURE_RETENTION_DAYS = 21
    settings.PERSONAL_DATA_RETENTION_DAYS_AFTER_CLOSE = 90

    page = client.get("/privacy/").content.decode()

    assert "is deleted after 21 days" in page
    assert "is erased 90 days after the petition closes" in page


def test_the_notice_shows_its_version(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2027-01-01"

    assert "Version 2027-01-01." in client.get("/privacy/").content.decode()


@pytest.mark.parametrize("path", ["/", "/petitions/", "/archive/", "/about/", "/zh-hans/"])
def test_every_page_links_to_the_notice_from_its_footer(client, path):
    page = client.get(path).content.decode()
    footer = page[page.index("<footer") :]

    assert 'href="/privacy/"' in footer or 'href="/zh-hans/privacy/"' in footer


def test_the_about_page_links_to_the_full_notice(client):
    assert 'href="/privacy/"' in client.get("/about/").content.decode()


def test_the_form_snippet_links_to_the_notice_in_the_readers_language():
    request = RequestFactory().get("/zh-hant/petitions/")

    with translation.override("zh-hant"):
        snippet = render_to_string("includes/_privacy_link.html", request=request)

    assert 'href="/zh-hant/privacy/"' in snippet
    assert "隱私聲明" in snippet


def test_the_sign_form_links_to_the_notice(client, open_petition):
    page = client.get(f"/zh-hans/petitions/{open_petition.slug}/").content.decode()
    form = page[page.index('<form method="post"') : page.index("</form>")]

    assert 'href="/zh-hans/privacy/"' in form


@pytest.mark.vnu
def test_the_notice_is_valid_html_in_each_language(client):
    from tests.archive.html_validation import html_errors

    pages = {prefix: client.get(f"{prefix}/privacy/").content.decode() for prefix in LANGUAGES}

    assert html_errors(pages) == {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("prefix", LANGUAGES)
def test_the_notice_has_no_axe_violations_and_fits_a_phone(page, live_server, prefix):
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}{prefix}/privacy/")

    assert_accessible(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
