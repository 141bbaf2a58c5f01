"""
Queries per request on the paths a surge hits, in production's configuration (a job queue,
counting by the `count_signatures` loop): each is a fixed number, whatever the table's size.
"""

import pytest
from django.test import Client
from django.urls import reverse

from petitions import emails
from petitions.models import Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.COUNT_SIGNATURES_INLINE = False


def test_confirming_costs_the_lookup_and_the_update(
    open_petition, production_jobs, django_assert_num_queries, django_capture_on_commit_callbacks
):
    signature = make_signature(open_petition)
    token = emails.make_token(signature, emails.CONFIRM_SALT)
    url = reverse("petitions:confirm-signature", kwargs={"token": token})

    with django_assert_num_queries(2), django_capture_on_commit_callbacks(execute=True):
        response = Client().post(url)

    assert response.status_code == 302
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED


def test_the_count_json_costs_the_petition_and_its_countries(
    open_petition, django_assert_num_queries
):
    url = reverse("petitions:petition-count", kwargs={"slug": open_petition.slug})

    with django_assert_num_queries(2):
        response = Client().get(url)

    assert response.json()["signature_count"] == 0


@pytest.mark.postgresql
def test_the_rate_limit_query_uses_its_partial_index_even_with_a_generic_plan(open_petition):
    # psycopg prepares a statement run often; PostgreSQL then plans it for any parameter value.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A petition's table as a surge leaves it: many signers, a few per client, analysed. On a
    # near-empty table the planner's choice among indexes says nothing about the real one.
    Signature.objects.bulk_create(
        Signature(
            petition=open_petition,
            full_name=f"Signer {n}",
            email=f"signer{n}@example.org",
            email_key=f"signer{n}@example.org",
            country="GB",
            client_hash=f"client-{n // 3}",
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_signature")

    with CaptureQueriesContext(connection) as captured:
        Signature.objects.signed_recently_by(open_petition, "a-client-hash", per_day=30)
    (query,) = captured.captured_queries
    # The client hash as a parameter, as the prepared statement has it.
    sql = query["sql"].replace("'a-client-hash'", "$1")
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE rate_limit(text) AS {sql}")
        cursor.execute("EXPLAIN EXECUTE rate_limit('a-client-hash')")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE rate_limit")
        cursor.execute("RESET plan_cache_mode")

    assert "signature_client_recent_idx" in plan
