"""
After an erasure on request, no table anywhere holds the person's name or address: a scan of
every text and JSON column of every table in the database (issue 15), on PostgreSQL.
"""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.urls import reverse

from petitions.counting import count_signatures
from petitions.models import ExportRecord

from .conftest import make_signature
from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db

NAME = "Quillon Vantablack"
ADDRESS = "quillon.vantablack@example.net"
TEXT_TYPES = ("text", "character varying", "json", "jsonb")


def _columns_holding(needle: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s)",
            [list(TEXT_TYPES)],
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            cursor.execute(
                f"SELECT count(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                f"WHERE {connection.ops.quote_name(column)}::text ILIKE %s",
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_after_an_erasure_no_column_of_any_table_holds_the_name_or_the_address(
    admin_client, open_petition, closed_petition
):
    assert connection.vendor == "postgresql"
    confirmed = make_signature(
        open_petition,
        email=ADDRESS,
        full_name=NAME,
        comment=f"I am {NAME} and I sign.",
        status="confirmed",
    )
    make_signature(closed_petition, email=ADDRESS.upper(), full_name=NAME)
    make_endorsement(open_petition, email=ADDRESS, contact_name=NAME)
    count_signatures()
    # Staff at work: a moderation in the history, and an export found by the person's name.
    admin_client.post(
        reverse("admin:petitions_signature_change", args=[confirmed.pk]),
        {"status": "confirmed"},
    )
    export = reverse("admin:petitions_signature_export")
    admin_client.post(f"{export}?q={NAME.split()[1]}", {"download": "1"})
    assert ExportRecord.objects.exists()
    assert _columns_holding("Vantablack")  # the scan sees them before the erasure

    response = admin_client.post(
        reverse("admin:petitions_signature_erase_person"),
        {"email": ADDRESS, "confirm": "Erase this data"},
        follow=True,
    )

    assert response.status_code == 200
    assert LogEntry.objects.exists()
    assert _columns_holding("Vantablack") == []
    assert _columns_holding("quillon") == []
