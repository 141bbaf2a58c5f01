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
import io
from collections.abc import Iterable, Iterator
from itertools import islice

from django import forms
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast, TruncDate
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import Endorsement, ExportRecord, Petition, Signature

CHUNK_SIZE = 2000
# What a spreadsheet may take for the start of a formula or a control character.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)
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
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def _local_date(field: str) -> Cast:
    """
    The day (in the site's time zone) as text, computed by the database: converting a million
    timestamps to local dates in Python took 40% of an export's time.
    """
    return Cast(TruncDate(field), output_field=CharField())


def _signature_rows(queryset: QuerySet, *, include_email: bool, with_status: bool) -> Iterator:
    fields = ["full_name", "country", "confirmed_on", "comment", "comment_status"]
    fields += ["status"] if with_status else []
    fields += ["email"] if include_email else []
    statuses = dict(Signature.Status.choices)
    names = dict(countries)
    approved = Signature.CommentStatus.APPROVED
    rows = queryset.annotate(confirmed_on=_local_date("confirmed_at")).values_list(*fields)
    for name, country, confirmed_on, comment, comment_status, *rest in rows.iterator(
        chunk_size=CHUNK_SIZE
    ):
        cells = [name, names.get(country, country), confirmed_on]
        cells.append(comment if comment_status == approved else "")
        if with_status:
            cells.append(str(statuses.get(rest.pop(0), "")))
        yield cells + rest


def signature_columns(*, include_email: bool, with_status: bool) -> list[str]:
    columns = ["name", "country", "date confirmed", "comment"]
    columns += ["status"] if with_status else []
    return columns + (["email"] if include_email else [])


def _stream(record: ExportRecord, header: list[str], rows: Iterable, bom: bool) -> Iterator[str]:
    """The CSV text, a block of CHUNK_SIZE rows at a time; the record completed at the end."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    count = 0
    try:
        buffer.write(BYTE_ORDER_MARK if bom else "")
        writer.writerow(header)
        rows = iter(rows)
        while block := list(islice(rows, CHUNK_SIZE)):
            writer.writerows([[neutralise(cell) for cell in row] for row in block])
            count += len(block)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()
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
    fields += ["statement", "approved_on"]
    if options["include_email"]:
        fields += ["contact_name", "email"]
    queryset = Endorsement.objects.approved().filter(petition=petition).order_by("pk")
    if options.get("limit"):
        queryset = queryset[: options["limit"]]
    names = dict(countries)

    def endorsement_rows() -> Iterator[list]:
        approved = queryset.annotate(approved_on=_local_date("moderated_at"))
        for row in approved.values_list(*fields).iterator(chunk_size=CHUNK_SIZE):
            organisation, country, website, statement, approved_on, *contact = row
            yield [
                organisation,
                names.get(country, country),
                website,
                statement,
                approved_on or "",
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
