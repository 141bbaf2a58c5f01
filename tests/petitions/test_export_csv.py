"""CSV export of signature and endorsement lists: a recorded, separate privilege."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone

from petitions.exports import export_signatures, neutralise
from petitions.models import ExportRecord, Petition

from .conftest import make_signature
from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    '=HYPERLINK("http://x","y")',
    "+1",
    "-2",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturned",
    "\nNew line",
]


def _export_url(petition: Petition) -> str:
    return reverse("admin:petitions_petition_export", kwargs={"slug": petition.slug})


def _download(client, url: str, query: dict | None = None, **options: str):
    """The form's POST (its options), to the page's address with the list's filters if any."""
    if query:
        url = f"{url}?{urlencode(query)}"
    response = client.post(url, {"download": "1", **options})
    assert response.status_code == 200, response.status_code
    return response, b"".join(response.streaming_content)


def _rows(body: bytes, encoding: str = "utf-8") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode(encoding), newline="")))


def test_a_moderator_gets_403_on_every_export(moderator_client, open_petition):
    make_signature(open_petition, status="confirmed")
    urls = [
        _export_url(open_petition),
        reverse(
            "admin:petitions_petition_export_endorsements", kwargs={"slug": open_petition.slug}
        ),
        reverse("admin:petitions_signature_export"),
    ]

    for url in urls:
        assert moderator_client.get(url).status_code == 403
        assert moderator_client.get(url, {"download": "1"}).status_code == 403
        assert moderator_client.post(url, {"download": "1"}).status_code == 403
    assert not ExportRecord.objects.exists()


def test_a_manager_exports_the_confirmed_signatures_for_delivery(
    manager_client, manager, open_petition
):
    make_signature(
        open_petition,
        status="confirmed",
        full_name="Ding Zilin",
        country="CN",
        comment="For my son.",
        comment_status="approved",
    )
    make_signature(open_petition, status="confirmed", full_name="Zhang Xianling", comment="Raw")
    make_signature(open_petition, status="pending", full_name="Not Yet")
    make_signature(open_petition, status="rejected", full_name="Spam Bot")

    form = manager_client.get(_export_url(open_petition))
    response, body = _download(manager_client, _export_url(open_petition))

    assert form.status_code == 200
    assert 'name="include_email"' in form.content.decode()
    today = timezone.localdate().isoformat()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="free-the-archive-signatures-{today}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = _rows(body)
    assert rows[0] == ["name", "country", "date confirmed", "comment"]
    # An unmoderated comment never reaches the target; nor an email unless ticked.
    assert sorted(rows[1:]) == [
        ["Ding Zilin", "China", today, "For my son."],
        ["Zhang Xianling", "United Kingdom", today, ""],
    ]
    assert body.endswith(b"\r\n")
    assert b"@example.org" not in body
    record = ExportRecord.objects.get()
    assert (record.exported_by, record.exported_by_username) == (manager, "max-manager")
    assert (record.kind, record.petition, record.petition_slug) == (
        "signatures",
        open_petition,
        "free-the-archive",
    )
    assert record.filters == {"status": "confirmed"}
    assert record.columns == ["name", "country", "date confirmed", "comment"]
    assert (record.row_count, record.outcome) == (2, "complete")
    assert record.finished_at is not None


def test_email_is_included_only_when_ticked(manager_client, open_petition):
    make_signature(open_petition, status="confirmed", email="signer@example.org")

    _, body = _download(manager_client, _export_url(open_petition), include_email="on")

    rows = _rows(body)
    assert rows[0][-1] == "email"
    assert rows[1][-1] == "signer@example.org"
    assert ExportRecord.objects.get().columns[-1] == "email"


def test_cells_a_spreadsheet_would_run_are_neutralised_and_round_trip(admin_client, open_petition):
    for name in HOSTILE_NAMES:
        make_signature(
            open_petition,
            status="confirmed",
            full_name=name,
            comment=f'{name} again, with a comma and a "quote"',
            comment_status="approved",
        )

    _, body = _download(admin_client, _export_url(open_petition))

    rows = _rows(body)[1:]
    assert sorted(row[0] for row in rows) == sorted(f"'{name}" for name in HOSTILE_NAMES)
    assert sorted(row[3] for row in rows) == sorted(
        f'\'{name} again, with a comma and a "quote"' for name in HOSTILE_NAMES
    )
    assert all(len(row) == 4 for row in rows)


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("Ann") == "Ann"
    assert neutralise("王丹") == "王丹"
    assert neutralise("") == ""
    assert neutralise(None) == ""
    assert neutralise("a=b") == "a=b"


def test_chinese_names_survive_the_excel_option(admin_client, open_petition):
    make_signature(open_petition, status="confirmed", full_name="丁子霖", country="TW")
    make_signature(open_petition, status="confirmed", full_name="張先玲", country="HK")

    _, body = _download(admin_client, _export_url(open_petition), excel="on")

    assert body.startswith(b"\xef\xbb\xbf")
    rows = _rows(body, "utf-8-sig")
    assert rows[0][0] == "name"
    assert sorted(row[0] for row in rows[1:]) == sorted(["丁子霖", "張先玲"])


def test_without_the_excel_option_there_is_no_byte_order_mark(admin_client, open_petition):
    make_signature(open_petition, status="confirmed", full_name="丁子霖")

    _, body = _download(admin_client, _export_url(open_petition))

    assert body.startswith(b"name,")


def test_the_filtered_changelist_exports_what_it_shows_and_records_the_filters(
    manager_client, open_petition, closed_petition
):
    make_signature(open_petition, status="suspected", full_name="Suspect One", country="TW")
    make_signature(open_petition, status="confirmed", full_name="Fine One", country="TW")
    make_signature(closed_petition, status="suspected", full_name="Elsewhere")
    filters = {"petition__id__exact": str(open_petition.pk), "status__exact": "suspected"}
    changelist = manager_client.get(reverse("admin:petitions_signature_changelist"), filters)
    export_url = reverse("admin:petitions_signature_export")

    _, body = _download(manager_client, export_url, filters)

    assert f"{export_url}?" in changelist.content.decode()
    rows = _rows(body)
    assert rows[0] == ["name", "country", "date confirmed", "comment", "status"]
    assert rows[1:] == [["Suspect One", "Taiwan", "", "", "Suspected"]]
    record = ExportRecord.objects.get()
    assert record.filters == filters
    assert record.petition is None
    assert record.row_count == 1


def test_the_changelist_export_keeps_a_search(manager_client, open_petition):
    make_signature(open_petition, full_name="Findable Person")
    make_signature(open_petition, full_name="Someone Else")

    _, body = _download(
        manager_client, reverse("admin:petitions_signature_export"), {"q": "Findable"}
    )

    assert [row[0] for row in _rows(body)[1:]] == ["Findable Person"]


def test_bad_changelist_filters_are_refused_not_a_500(manager_client):
    response = manager_client.post(
        reverse("admin:petitions_signature_export") + "?nonsense__gt=x", {"download": "1"}
    )

    assert response.status_code == 400


def test_a_get_only_ever_shows_the_form(manager_client, open_petition):
    make_signature(open_petition, status="confirmed")

    response = manager_client.get(_export_url(open_petition), {"download": "1", "excel": "on"})

    assert response["Content-Type"].startswith("text/html")
    assert not ExportRecord.objects.exists()


def test_an_export_that_breaks_midway_is_recorded_as_failed(rf, admin_user, open_petition):
    for _ in range(3):
        make_signature(open_petition, status="confirmed")
    request = rf.get("/")
    request.user = admin_user
    options = {"include_email": False, "excel": False, "limit": None}
    response = export_signatures(
        request, open_petition.signatures.all(), options, petition=open_petition, filters={}
    )

    next(iter(response.streaming_content))
    # The client went away: the server closes the response. Without closing the test's database
    # connection, as the end of a real request would.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

    record = ExportRecord.objects.get()
    assert (record.outcome, record.finished_at is not None) == ("failed", True)


def test_endorsements_export_the_approved_ones(manager_client, open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    make_endorsement(open_petition, "Tibet Network", status="approved", statement="=cmd")
    make_endorsement(open_petition, "Waiting Group", status="awaiting")
    url = reverse(
        "admin:petitions_petition_export_endorsements", kwargs={"slug": open_petition.slug}
    )

    response, body = _download(manager_client, url)

    rows = _rows(body)
    assert rows[0] == ["organisation", "country", "website", "statement", "approved"]
    assert [row[0] for row in rows[1:]] == ["Tibet Network"]
    assert rows[1][3] == "'=cmd"
    assert "endorsements" in response["Content-Disposition"]
    assert ExportRecord.objects.get().kind == "endorsements"


def test_the_endorsement_export_adds_the_contact_only_when_email_is_ticked(
    manager_client, open_petition
):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    make_endorsement(
        open_petition,
        "Tibet Network",
        status="approved",
        contact_name="Pema Example",
        email="pema@tibet-network.example",
    )
    url = reverse(
        "admin:petitions_petition_export_endorsements", kwargs={"slug": open_petition.slug}
    )

    _, with_contact = _download(manager_client, url, include_email="on")
    _, without_contact = _download(manager_client, url)

    header, row = _rows(with_contact)
    assert header[-2:] == ["contact name", "contact email"]
    assert row[0] == "Tibet Network"
    assert row[-2:] == ["Pema Example", "pema@tibet-network.example"]
    plain_header, plain_row = _rows(without_contact)
    assert plain_header == ["organisation", "country", "website", "statement", "approved"]
    assert len(plain_row) == 5
    assert b"Pema Example" not in without_contact
    assert b"pema@tibet-network.example" not in without_contact
    first, second = ExportRecord.objects.order_by("pk")
    assert first.columns[-2:] == ["contact name", "contact email"]
    assert "contact email" not in second.columns


def test_export_records_are_readable_and_editable_by_nobody(admin_client, open_petition):
    make_signature(open_petition, status="confirmed")
    _download(admin_client, _export_url(open_petition))
    record = ExportRecord.objects.get()

    listing = admin_client.get(reverse("admin:petitions_exportrecord_changelist"))
    change = admin_client.post(
        reverse("admin:petitions_exportrecord_change", args=[record.pk]), {"row_count": 0}
    )
    delete = admin_client.post(
        reverse("admin:petitions_exportrecord_delete", args=[record.pk]), {"post": "yes"}
    )

    assert listing.status_code == 200
    assert admin_client.get(reverse("admin:petitions_exportrecord_add")).status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert ExportRecord.objects.get().row_count == 1


def test_the_export_runs_a_fixed_number_of_queries(admin_client, open_petition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_an_export_of(rows: int) -> int:
        for _ in range(rows):
            make_signature(open_petition, status="confirmed")
        with CaptureQueriesContext(connection) as captured:
            _download(admin_client, _export_url(open_petition))
        return len(captured.captured_queries)

    # The session, the user and their second factor, the petition, the record and its
    # completion, and the rows: read in one statement however many there are.
    assert queries_for_an_export_of(30) == queries_for_an_export_of(300) <= 10


def test_the_file_is_byte_for_byte_what_pythons_csv_writer_writes(admin_client, open_petition):
    texts = [
        "Plain",
        "Comma, inside",
        'A "quoted" word',
        '"Starts with a quote',
        'Ends with a quote"',
        "Two\nlines",
        'A quote before a line break"\nthen more',
        "Carriage\rreturn",
        "",
        "王丹，北京",
        "=1+1",
    ]
    signatures = [
        make_signature(
            open_petition,
            status="confirmed",
            full_name=text or "Nameless",
            country="TW",
            comment=text,
            comment_status="approved",
        )
        for text in texts
    ]

    _, body = _download(admin_client, _export_url(open_petition))

    today = timezone.localdate().isoformat()
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(["name", "country", "date confirmed", "comment"])
    for signature in signatures:
        writer.writerow(
            [neutralise(signature.full_name), "Taiwan", today, neutralise(signature.comment)]
        )
    assert body.decode() == expected.getvalue()
