"""
The export page explains itself: what the list holds in words, how many rows and which columns
before the download, Excel-friendly by default; the file only comes from the form's POST, behind
the CSRF check. Staff who may not export are told, inside the staff site, who may.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from petitions.models import ExportRecord, Petition
from tests.archive.html_validation import html_errors
from tests.conftest import log_in_with_second_factor

from .conftest import make_signature

pytestmark = pytest.mark.django_db


def _export_url(petition: Petition) -> str:
    return reverse("admin:petitions_petition_export", kwargs={"slug": petition.slug})


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_the_excel_friendly_option_is_ticked_by_default(manager_client, open_petition):
    page = manager_client.get(_export_url(open_petition)).content.decode()

    assert re.search(r'<input type="checkbox" name="excel"[^>]* checked', page)
    assert not re.search(r'<input type="checkbox" name="include_email"[^>]* checked', page)


def test_the_page_says_what_and_how_many_before_the_download(manager_client, open_petition):
    for _ in range(3):
        make_signature(open_petition, status="confirmed")
    make_signature(open_petition, status="suspected")
    make_signature(open_petition, status="pending")

    page = manager_client.get(_export_url(open_petition)).content.decode()

    assert "Confirmed signatures of “Open the archives”" in page
    assert "You are about to export 3 confirmed signatures (no email addresses)." in page
    # The sentence for a ticked email box waits, hidden, until the box is ticked.
    assert re.search(
        r'<p class="export-summary" data-with-email="true" hidden><strong>You are about to '
        r"export 3 confirmed signatures \(with email addresses\)\.",
        page,
    )


def test_one_signature_is_counted_in_the_singular(manager_client, open_petition):
    make_signature(open_petition, status="confirmed")

    page = manager_client.get(_export_url(open_petition)).content.decode()

    assert "You are about to export 1 confirmed signature (no email addresses)." in page


def test_the_filtered_list_is_described_in_words_and_counted(
    manager_client, open_petition, closed_petition
):
    make_signature(open_petition, status="suspected")
    make_signature(open_petition, status="suspected")
    make_signature(open_petition, status="confirmed")
    make_signature(closed_petition, status="suspected")
    url = reverse("admin:petitions_signature_export")

    page = manager_client.get(
        url, {"queue": "suspected", "petition__id__exact": str(open_petition.pk)}
    ).content.decode()

    assert "<li>Suspected signatures</li>" in page
    assert "<li>Petition: Open the archives</li>" in page
    assert "queue=" not in page
    assert "You are about to export 2 signatures (no email addresses)." in page


def test_a_get_shows_the_form_and_only_the_forms_post_downloads(manager, open_petition):
    make_signature(open_petition, status="confirmed", full_name="丁子霖")
    browser = Client(enforce_csrf_checks=True)
    log_in_with_second_factor(browser, manager)
    url = _export_url(open_petition)

    form = browser.get(url, {"download": "1"})
    forged = browser.post(url, {"download": "1"})
    download = browser.post(
        url,
        {
            "download": "1",
            "excel": "on",
            "csrfmiddlewaretoken": _csrf_token(form.content.decode()),
        },
    )

    assert form["Content-Type"].startswith("text/html")
    assert forged.status_code == 403
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbfname,")
    assert "丁子霖" in body.decode("utf-8-sig")
    assert ExportRecord.objects.count() == 1


def test_a_moderator_gets_an_admin_page_that_says_who_may_export(moderator_client, open_petition):
    urls = [
        _export_url(open_petition),
        reverse("admin:petitions_signature_export"),
    ]

    for url in urls:
        response = moderator_client.get(url)
        page = response.content.decode()
        assert response.status_code == 403
        assert [t.name for t in response.templates][:2] == [
            "admin/petitions/export_refused.html",
            "admin/base_site.html",
        ]
        assert "the permission “Can export signature lists”" in page
        assert "<li>Campaign managers</li>" in page
        assert "<li>Moderators</li>" not in page


def test_the_endorsement_export_names_its_own_permission(moderator_client, open_petition):
    url = reverse(
        "admin:petitions_petition_export_endorsements", kwargs={"slug": open_petition.slug}
    )

    response = moderator_client.get(url)

    assert response.status_code == 403
    assert "the permission “Can export endorsement lists”" in response.content.decode()


def test_the_dashboard_entry_opens_the_export_page(manager_client, open_petition):
    dashboard = manager_client.get(reverse("admin:index")).content.decode()

    assert f'href="{_export_url(open_petition)}"' in dashboard


def test_a_filter_the_sidebar_does_not_offer_is_still_described(manager_client, open_petition):
    # With a single petition the sidebar offers no petition filter, yet the list is filtered.
    make_signature(open_petition, status="suspected")

    page = manager_client.get(
        reverse("admin:petitions_signature_export"),
        {"queue": "suspected", "petition__id__exact": str(open_petition.pk), "q": "Ann"},
    ).content.decode()

    assert "<li>Suspected signatures</li>" in page
    assert "<li>Petition: Open the archives</li>" in page
    assert "<li>Found by “Ann”</li>" in page
    assert "petition__id__exact" not in page


@pytest.mark.vnu
def test_the_export_pages_are_valid_html(manager_client, moderator_client, open_petition):
    make_signature(open_petition, status="suspected")
    filtered = reverse("admin:petitions_signature_export")

    pages = {
        "export": manager_client.get(_export_url(open_petition)).content.decode(),
        "filtered": manager_client.get(filtered, {"queue": "suspected"}).content.decode(),
        "refused": moderator_client.get(_export_url(open_petition)).content.decode(),
    }

    assert html_errors(pages) == {}
