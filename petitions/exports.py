"""
CSV exports of signature and endorsement lists, streamed.

A list of a million signers leaves the server a block of rows at a time, as the database
streams them, so the process's memory stays flat whatever the list's length. The database
computes every cell, and on PostgreSQL writes the CSV itself (`_csv_blocks`). Each export is
recorded (`ExportRecord`): who, when, which petition and filters, which columns, and how many
rows actually left, counted while streaming, with an export that broke midway marked as failed.

Delivery to a target is the purpose: name, country, date confirmed, and the signer's comment
only once staff approved it (an unmoderated comment may be spam or abuse, and must not reach
the target under the campaign's name). Email only when the exporter ticks it. Every cell that a
spreadsheet would read as a formula gets a leading apostrophe; quoting follows RFC 4180.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice

from django import forms
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, CharField, F, Func, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, NullIf, Substr, TruncDate
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler
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
        # On unless unticked: the lists are full of Chinese names, which Excel garbles without it.
        initial=True,
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


def _neutralised(field: str) -> Case:
    """`neutralise`, computed by the database for every row of a column."""
    prefixed = Concat(Value("'"), field, output_field=CharField())
    return Case(
        When(In(Substr(field, 1, 1), FORMULA_PREFIXES), then=prefixed),
        default=F(field),
        output_field=CharField(),
    )


def _local_date(field: str) -> Cast:
    """The day (in the site's time zone) as text, or NULL, computed by the database."""
    return Cast(TruncDate(field), output_field=CharField())


def _label(field: str, choices: list[tuple[str, object]]) -> Case:
    """A choice's label in the exporter's language, for a column with a few choices."""
    whens = [When(**{field: value}, then=Value(str(label))) for value, label in choices]
    return Case(*whens, default=Value(""), output_field=CharField())


class CountryName(Func):
    """
    The name of the country whose code `code` holds, in the exporter's language, looked up by
    the database in a JSON object of every code and name (one parameter); the code itself when
    it has no name. A CASE of 250 branches would compare each row up to 250 times.
    """

    output_field = CharField()

    def __init__(self, code: str) -> None:
        names = json.dumps(dict(countries), ensure_ascii=False)
        super().__init__(Value(names), F(code))

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: object
    ) -> tuple[str, tuple]:
        (names, names_params), (code, code_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        if connection.vendor == "postgresql":
            sql = f"COALESCE(({names})::jsonb ->> {code}, {code})"
        else:  # SQLite's JSON functions, with the key quoted for json_extract's path
            sql = f"""COALESCE(json_extract({names}, '$."' || {code} || '"'), {code})"""
        return sql, (*names_params, *code_params, *code_params)


def _crlf_records(block: bytes) -> bytes:
    """
    Records of PostgreSQL's CSV, ended with CRLF as RFC 4180 wants rather than COPY's LF; a line
    feed inside a quoted field stays as it is. The block starts at a record's start, so the
    text between its quote characters is alternately outside and inside a quoted field (a
    doubled quote inside a field leaves an empty piece and changes nothing).
    """
    if b'"' not in block:
        return block.replace(b"\n", b"\r\n")
    pieces = block.split(b'"')
    pieces[::2] = [piece.replace(b"\n", b"\r\n") for piece in pieces[::2]]
    return b'"'.join(pieces)


def _csv_blocks(queryset: QuerySet, cells: list[object]) -> Iterator[tuple[bytes | str, int]]:
    """
    The rows' CSV records, a block of up to CHUNK_SIZE at a time, with how many each holds.

    On PostgreSQL the database writes the CSV itself (COPY ... TO STDOUT, its C writer, which
    quotes as RFC 4180 does) and streams it while Python passes the blocks on; in Python, cell by
    cell, a million rows took five times as long as COPY (bench/run.py). Elsewhere (SQLite, the
    embedded default) csv.writer writes the same bytes. An empty cell is NULL, which COPY writes
    as nothing at all, as csv.writer does, rather than as "".
    """
    names = [f"cell_{n}" for n in range(len(cells))]
    rows = queryset.annotate(
        **{name: NullIf(cell, Value("")) for name, cell in zip(names, cells, strict=True)}
    ).values_list(*names)
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        rows = rows.iterator(chunk_size=CHUNK_SIZE)
        while block := list(islice(rows, CHUNK_SIZE)):
            writer.writerows(block)
            yield buffer.getvalue(), len(block)
            buffer.seek(0)
            buffer.truncate()
        return
    sql, params = rows.query.sql_with_params()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params) as copy,
    ):
        records = iter(copy)  # one message per record
        while block := list(islice(records, CHUNK_SIZE)):
            yield _crlf_records(b"".join(block)), len(block)


def _signature_blocks(queryset: QuerySet, *, include_email: bool, with_status: bool) -> Iterator:
    cells = [
        _neutralised("full_name"),
        CountryName("country"),
        _local_date("confirmed_at"),
        # The comment only once staff approved it.
        Case(
            When(comment_status=Signature.CommentStatus.APPROVED, then=_neutralised("comment")),
            default=Value(""),
            output_field=CharField(),
        ),
    ]
    if with_status:
        cells.append(_label("status", Signature.Status.choices))
    if include_email:
        cells.append(_neutralised("email"))
    return _csv_blocks(queryset, cells)


def signature_columns(*, include_email: bool, with_status: bool) -> list[str]:
    columns = ["name", "country", "date confirmed", "comment"]
    columns += ["status"] if with_status else []
    return columns + (["email"] if include_email else [])


def _stream(
    record: ExportRecord, header: list[str], blocks: Iterable[tuple[bytes | str, int]], bom: bool
) -> Iterator[bytes | str]:
    """The CSV, a block of records at a time; the record of the export completed at the end."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(header)
    count = 0
    try:
        yield (BYTE_ORDER_MARK if bom else "") + buffer.getvalue()
        for block, rows in blocks:
            count += rows
            yield block
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
    blocks = _signature_blocks(queryset, include_email=include_email, with_status=with_status)
    return _response(
        _stream(record, columns, blocks, options["excel"]), _filename(petition, "signatures")
    )


def export_endorsements(
    request: HttpRequest, petition: Petition, options: dict
) -> StreamingHttpResponse:
    """A petition's approved endorsements: organisation, country, website, statement."""
    columns = ["organisation", "country", "website", "statement", "approved"]
    cells = [
        _neutralised("organisation__name"),
        CountryName("organisation__country"),
        _neutralised("organisation__website"),
        _neutralised("statement"),
        _local_date("moderated_at"),
    ]
    if options["include_email"]:
        columns += ["contact name", "contact email"]
        cells += [_neutralised("contact_name"), _neutralised("email")]
    queryset = Endorsement.objects.approved().filter(petition=petition).order_by("pk")
    if options.get("limit"):
        queryset = queryset[: options["limit"]]
    blocks = _csv_blocks(queryset, cells)
    record = _record(
        request,
        ExportRecord.Kind.ENDORSEMENTS,
        petition,
        filters={"status": "approved", **_limit(options)},
        columns=columns,
    )
    return _response(
        _stream(record, columns, blocks, options["excel"]),
        _filename(petition, "endorsements"),
    )
