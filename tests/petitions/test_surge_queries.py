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


def test_confirming_costs_one_statement(
    open_petition, production_jobs, django_assert_num_queries, django_capture_on_commit_callbacks
):
    signature = make_signature(open_petition)
    token = emails.make_token(signature, emails.CONFIRM_SALT)
    url = reverse("petitions:confirm-signature", kwargs={"token": token})

    with django_assert_num_queries(1), django_capture_on_commit_callbacks(execute=True):
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


def _many_signers(petition, prefix: str) -> None:
    """3,000 signatures, three from each client."""
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            full_name=f"Signer {n}",
            email=f"{prefix}{n}@example.org",
            email_key=f"{prefix}{n}@example.org",
            country="GB",
            client_hash=f"{prefix}-client-{n // 3}",
        )
        for n in range(3000)
    )


@pytest.mark.postgresql
def test_the_rate_limit_reads_the_clients_rows_even_for_a_petition_the_statistics_never_saw(
    open_petition, closed_petition
):
    # The surge of a new petition: the last ANALYZE saw other petitions' signatures and none of
    # this one's, so the planner believes it has a row or two. The rate limit must still read
    # the client's few rows through its index, not every row of the petition.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many_signers(closed_petition, "signer")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_signature")
    _many_signers(open_petition, "new")

    with CaptureQueriesContext(connection) as captured:
        Signature.objects.sign(
            petition=open_petition,
            full_name="Ann Example",
            email="ann@example.org",
            country="GB",
            client_hash="a-client-hash",
            rate_limit=open_petition.rate_limit,
        )
    (upsert,) = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {upsert['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "signature_client_recent_idx" in plan
