"""
CSV exports of signature and endorsement lists, streamed.

A list of a million signers leaves the server a block of rows at a time, read through a
server-side cursor (`iterator(chunk_size=...)` on PostgreSQL), so the process's memory stays
flat whatever the list's length. Each export is recorded (`ExportRecord`): who, when, which
petition and filters, which columns, and how many rows actually left, counted while streaming,
with an export that broke midway marked as failed.

Delivery to a target is the purpose: name, country, date confirmed, and the signer's comment
only once staff approved it (an unmoderated comment may be spam or abuse, and must not reach
the target under the campaign's name). Email only when the exporter ticks it. Every cell that a
spreadsheet would read as a formula gets a leading apostrophe; quoting follows RFC 4180.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Endorsement, ExportRecord, Petition, Signature

CHUNK_SIZE = 2000
# What a spreadsheet may take for the start of a formula or a control character.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
BYTE_ORDER_MARK = "\ufeff"


class ExportForm(forms.Form):
    include_email = forms.BooleanField(
        label=_("Include email addresses"),
        required=False,
        help_text=_(
            "For the campaign's own use only: the privacy notice promises signers that their "
            "address is never shared with the petition's target."
        ),
    )
    excel = forms.BooleanField(
        label=_("Excel-friendly (UTF-8 with a byte-order mark)"),
        required=False,
        help_text=_("Without it, Excel shows Chinese names as garbled characters."),
    )
    limit = forms.IntegerField(
        label=_("At most this many rows"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for the whole list."),
    )

    # The form's own parameters, told apart from a changelist's filters in the same query.
    FIELDS = ("include_email", "excel", "limit", "download")


def neutralise(value: object) -> str:
    """The cell's text, with a leading ' if a spreadsheet could read it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose write hands back the line csv.writer formatted."""

    def write(self, value: str) -> str:
        return value


def _date(value: datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _signature_rows(queryset: QuerySet, *, include_email: bool, with_status: bool) -> Iterator:
    fields = ["full_name", "country", "confirmed_at", "comment", "comment_status"]
    fields += ["status"] if with_status else []
    fields += ["email"] if include_email else []
    statuses = dict(Signature.Status.choices)
    names = dict(countries)
    for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
        name, country, confirmed_at, comment, comment_status, *rest = row
        if comment_status != Signature.CommentStatus.APPROVED:
            comment = ""
        cells = [name, names.get(country, country), _date(confirmed_at), comment]
        if with_status:
            cells.append(str(statuses.get(rest.pop(0), "")))
        yield cells + rest


def signature_columns(*, include_email: bool, with_status: bool) -> list[str]:
    columns = ["name", "country", "date confirmed", "comment"]
    columns += ["status"] if with_status else []
    return columns + (["email"] if include_email else [])


def _stream(record: ExportRecord, header: list[str], rows: Iterable, bom: bool) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    count = 0
    try:
        chunk = [BYTE_ORDER_MARK] if bom else []
        chunk.append(writer.writerow(header))
        for row in rows:
            chunk.append(writer.writerow([neutralise(cell) for cell in row]))
            count += 1
            if len(chunk) >= CHUNK_SIZE:
                yield "".join(chunk)
                chunk = []
        yield "".join(chunk)
    except BaseException:
        # GeneratorExit too: the client went away, or the server stopped the stream.
        record.finish(rows=count, failed=True)
        raise
    record.finish(rows=count)


def _response(rows: Iterator[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A list of people must not linger in a browser's or a proxy's cache.
    response["Cache-Control"] = "no-store"
    return response


def _record(request: HttpRequest, kind: str, petition: Petition | None, **fields) -> ExportRecord:
    return ExportRecord.objects.create(
        kind=kind,
        petition=petition,
        petition_slug=petition.slug if petition else "",
        exported_by=request.user,
        exported_by_username=request.user.get_username(),
        **fields,
    )


def _limit(options: dict) -> dict:
    return {"limit": options["limit"]} if options.get("limit") else {}


def _filename(petition: Petition | None, what: str) -> str:
    return f"{petition.slug if petition else 'all'}-{what}-{timezone.localdate():%Y-%m-%d}.csv"


def export_signatures(
    request: HttpRequest,
    queryset: QuerySet,
    options: dict,
    *,
    petition: Petition | None,
    filters: dict,
    with_status: bool = False,
) -> StreamingHttpResponse:
    """Stream `queryset` as CSV, and record the export (`options` from ExportForm)."""
    include_email = options["include_email"]
    columns = signature_columns(include_email=include_email, with_status=with_status)
    queryset = queryset.order_by("pk")
    if options.get("limit"):
        queryset = queryset[: options["limit"]]
    record = _record(
        request,
        ExportRecord.Kind.SIGNATURES,
        petition,
        filters={**filters, **_limit(options)},
        columns=columns,
    )
    rows = _signature_rows(queryset, include_email=include_email, with_status=with_status)
    return _response(
        _stream(record, columns, rows, options["excel"]), _filename(petition, "signatures")
    )


def export_endorsements(
    request: HttpRequest, petition: Petition, options: dict
) -> StreamingHttpResponse:
    """A petition's approved endorsements: organisation, country, website, statement."""
    columns = ["organisation", "country", "website", "statement", "approved"]
    if options["include_email"]:
        columns += ["contact name", "contact email"]
    fields = ["organisation__name", "organisation__country", "organisation__website"]
    fields += ["statement", "moderated_at"]
    if options["include_email"]:
        fields += ["contact_name", "email"]
    queryset = Endorsement.objects.approved().filter(petition=petition).order_by("pk")
    if options.get("limit"):
        queryset = queryset[: options["limit"]]
    names = dict(countries)

    def endorsement_rows() -> Iterator[list]:
        for row in queryset.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            organisation, country, website, statement, approved_at, *contact = row
            yield [
                organisation,
                names.get(country, country),
                website,
                statement,
                _date(approved_at),
                *contact,
            ]

    record = _record(
        request,
        ExportRecord.Kind.ENDORSEMENTS,
        petition,
        filters={"status": "approved", **_limit(options)},
        columns=columns,
    )
    return _response(
        _stream(record, columns, endorsement_rows(), options["excel"]),
        _filename(petition, "endorsements"),
    )
