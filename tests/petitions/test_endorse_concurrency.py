"""Many contacts endorsing for one organisation at the same instant, on PostgreSQL: one
organisation, one endorsement, no server error, the same response for everyone."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from petitions.models import Endorsement, Organisation, Petition

from .test_endorse import VALID_ENDORSEMENT

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 30


def test_concurrent_endorsements_of_one_organisation_make_one_row(open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    url = reverse("petitions:endorse", kwargs={"slug": open_petition.slug})
    spellings = ["Example Rights Watch", "EXAMPLE rights watch", "Ex\u0430mple Rights-Watch"]
    barrier = threading.Barrier(SUBMISSIONS)
    statuses: list[int] = []

    def submit(number: int) -> None:
        client = Client(raise_request_exception=False)
        data = {
            **VALID_ENDORSEMENT,
            "organisation_name": spellings[number % len(spellings)],
            "email": f"contact-{number}@rights-watch.example.org",
        }
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(SUBMISSIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * SUBMISSIONS
    assert Organisation.objects.count() == 1
    assert Endorsement.objects.count() == 1
