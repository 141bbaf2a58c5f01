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
