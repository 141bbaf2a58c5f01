"""
The signature changelist at a million rows: no COUNT over the table, no DISTINCT over its dates
(date_hierarchy), no walk through every country per row. Counted exactly up to a limit, then
estimated by PostgreSQL.
"""

import pytest
from django.urls import reverse

from petitions import admin_paging
from petitions.admin import SignatureChangeListQuerySet
from petitions.models import Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db


def test_a_short_list_is_counted_exactly(admin_client, open_petition):
    for _ in range(3):
        make_signature(open_petition)

    response = admin_client.get(reverse("admin:petitions_signature_changelist"))

    assert response.context["cl"].result_count == 3
    assert "3 signatures" in response.content.decode()


def test_the_changelist_names_countries_and_filters_by_date_and_date_hierarchy(
    admin_client, open_petition
):
    from datetime import timedelta

    from django.utils import timezone

    make_signature(open_petition, country="TW")
    earlier = timezone.now() - timedelta(days=400)
    make_signature(open_petition, full_name="Last year", created_at=earlier)

    response = admin_client.get(reverse("admin:petitions_signature_changelist"))
    by_year = admin_client.get(
        reverse("admin:petitions_signature_changelist"), {"created_at__year": earlier.year}
    ).content.decode()

    content = response.content.decode()
    assert "Taiwan" in content
    assert "created_at__gte" in content  # the date filter's links
    # The hierarchy links the years that have signatures (found by index probes, no DISTINCT).
    assert f"created_at__year={earlier.year}" in content
    assert f"created_at__year={timezone.localdate().year}" in content
    assert "Last year" in by_year
    assert f"created_at__month={timezone.localtime(earlier).month}" in by_year


def test_the_date_hierarchy_finds_the_same_periods_as_djangos_distinct(open_petition):
    from datetime import timedelta

    from django.db.models.query import QuerySet
    from django.utils import timezone

    from petitions.models import Signature

    now = timezone.now()
    for days in (0, 1, 3, 40, 400):
        make_signature(open_petition, created_at=now - timedelta(days=days))
    signatures = SignatureChangeListQuerySet(Signature)

    for kind in ("year", "month", "day"):
        assert signatures.datetimes("created_at", kind) == list(
            QuerySet.datetimes(signatures, "created_at", kind)
        )


@pytest.mark.postgresql
def test_beyond_the_limit_the_count_is_postgresqls_estimate(
    admin_client, open_petition, monkeypatch, django_assert_max_num_queries
):
    from django.db import connection

    monkeypatch.setattr(admin_paging, "EXACT_COUNT_LIMIT", 5)
    for _ in range(40):
        make_signature(open_petition)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_signature")
    url = reverse("admin:petitions_signature_changelist")
    admin_client.get(url)

    # (Two of them for the date hierarchy: first and last dates, one EXISTS for the one day.)
    with django_assert_max_num_queries(14) as captured:
        response = admin_client.get(url)

    assert 6 <= response.context["cl"].result_count <= 400
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert 'SELECT COUNT(*) AS "__count" FROM "petitions_signature"' not in sql
    assert "DATE_TRUNC" not in sql
    assert Signature.objects.count() == 40


@pytest.mark.postgresql
def test_the_date_hierarchy_probes_read_the_index_not_the_table(open_petition):
    # Half the rows from today stored first, then half from five days ago: rows lie in the
    # order they came, not spread evenly. A probe that trusts them to be spread evenly scans
    # the table until it meets one of its period.
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(
            petition=open_petition,
            full_name=f"Signer {n}",
            email=f"signer{n}@example.org",
            email_key=f"signer{n}@example.org",
            country="GB",
            created_at=now - timedelta(days=5 * (n // 2500), seconds=10 * (n % 2500)),
        )
        for n in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_signature")

    with CaptureQueriesContext(connection) as captured:
        SignatureChangeListQuerySet(Signature).datetimes("created_at", "day")
    probes = [query["sql"] for query in captured.captured_queries][1:]
    with connection.cursor() as cursor:
        plans = []
        for probe in probes:
            cursor.execute(f"EXPLAIN {probe}")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    assert len(probes) >= 5
    assert not [plan for plan in plans if "Seq Scan" in plan]


def test_the_model_queryset_keeps_djangos_datetimes(open_petition):
    # The probes serve the changelist's date hierarchy only; everywhere else datetimes() is
    # Django's own, a lazy queryset.
    from django.db.models.query import QuerySet

    make_signature(open_petition)

    assert isinstance(Signature.objects.datetimes("created_at", "day"), QuerySet)
