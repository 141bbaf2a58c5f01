"""
The signature changelist at a million rows: no COUNT over the table, no DISTINCT over its dates
(date_hierarchy), no walk through every country per row. Counted exactly up to a limit, then
estimated by PostgreSQL.
"""

import pytest
from django.urls import reverse

from campaign import admin_paging
from petitions.models import Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db


def test_a_short_list_is_counted_exactly(admin_client, open_petition):
    for _ in range(3):
        make_signature(open_petition)

    response = admin_client.get(reverse("admin:petitions_signature_changelist"))

    assert response.context["cl"].result_count == 3
    assert "3 signatures" in response.content.decode()


def test_the_changelist_names_countries_and_filters_by_date_without_a_date_hierarchy(
    admin_client, open_petition
):
    make_signature(open_petition, country="TW")

    response = admin_client.get(reverse("admin:petitions_signature_changelist"))

    content = response.content.decode()
    assert "Taiwan" in content
    assert "created_at__gte" in content  # the date filter's links
    assert response.context["cl"].date_hierarchy is None


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

    with django_assert_max_num_queries(12) as captured:
        response = admin_client.get(url)

    assert 6 <= response.context["cl"].result_count <= 400
    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert 'SELECT COUNT(*) AS "__count" FROM "petitions_signature"' not in sql
    assert "DATE_TRUNC" not in sql
    assert Signature.objects.count() == 40
