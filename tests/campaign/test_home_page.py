"""The home page presents the campaign: its open petitions and the latest statements."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_open_petitions_with_their_counts(
    client, open_petition, closed_petition
):
    html = client.get("/").content.decode()

    assert f'href="{open_petition.get_absolute_url()}">Open the archives</a>' in html
    assert "0 signatures" in html
    assert "An earlier call" not in html  # closed: on the petition list, not the front page


def test_the_home_page_says_so_when_nothing_is_open_or_archived_yet(client, db):
    html = client.get("/").content.decode()

    assert "There is no open petition at the moment. Please come back soon." in html
    assert "No statements have been archived yet." in html


def test_the_home_page_shows_the_petitions_in_chinese(client, open_petition):
    html = client.get("/zh-hant/").content.decode()

    assert "開放檔案" in html
    assert 'href="/zh-hant/petitions/free-the-archive/"' in html


def test_the_hero_leads_to_the_open_petitions_sign_form(client, open_petition, closed_petition):
    html = client.get("/").content.decode()

    assert (
        f'<a class="btn btn-primary btn-lg" href="{open_petition.get_absolute_url()}#sign-form">'
        "Sign the petition</a>"
    ) in html


def test_the_hero_leads_to_the_form_in_the_page_language(client, open_petition):
    html = client.get("/zh-hans/").content.decode()

    assert f'href="/zh-hans/petitions/{open_petition.slug}/#sign-form"' in html


def test_no_sign_button_when_no_petition_takes_signatures(client, closed_petition):
    assert "#sign-form" not in client.get("/").content.decode()
