"""The proof-of-work switch (django-altcha) for a petition under attack."""

import base64
import json

import altcha
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from petitions.models import Petition, Signature

from .conftest import VALID_SIGNER

pytestmark = pytest.mark.django_db


@pytest.fixture
def under_attack(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(requires_proof_of_work=True)
    open_petition.refresh_from_db()
    return open_petition


def _solved_payload(client: Client) -> str:
    """What the widget sends: the challenge from our endpoint, solved."""
    challenge = client.get(reverse("petitions:proof-of-work-challenge")).json()
    solution = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["max_number"]
    )
    payload = {
        "algorithm": challenge["algorithm"],
        "challenge": challenge["challenge"],
        "number": solution.number,
        "salt": challenge["salt"],
        "signature": challenge["signature"],
    }
    return base64.b64encode(json.dumps(payload).encode()).decode()


def _sign(client: Client, petition: Petition, **data: str):
    return client.post(
        reverse("petitions:sign", kwargs={"slug": petition.slug}), {**VALID_SIGNER, **data}
    )


def test_the_petition_page_carries_the_widget_from_our_own_static_files(client, under_attack):
    content = client.get(under_attack.get_absolute_url()).content.decode()

    assert "<altcha-widget" in content
    assert f'src="{settings.STATIC_URL}altcha/altcha.min.js"' in content
    assert f'href="{settings.STATIC_URL}css/altcha.css"' in content
    assert 'id="__altcha-css"' in content
    assert reverse("petitions:proof-of-work-challenge") in content
    assert "<noscript>" in content


def test_a_solved_challenge_lets_the_signature_through(client, under_attack):
    response = _sign(client, under_attack, altcha=_solved_payload(client))

    assert response.status_code == 302
    assert Signature.objects.get().status == Signature.Status.PENDING


def test_without_a_solution_the_form_says_why_and_records_nothing(client, under_attack):
    response = _sign(client, under_attack)

    assert response.status_code == 200
    assert "needs a short check that your browser does by itself" in response.content.decode()
    assert 'value="Ann Example"' in response.content.decode()
    assert not Signature.objects.exists()


def test_a_solution_works_once(client, under_attack):
    payload = _solved_payload(client)
    _sign(client, under_attack, altcha=payload)

    response = _sign(client, under_attack, altcha=payload, email="again@example.org")

    assert response.status_code == 200
    assert Signature.objects.count() == 1


def test_a_forged_solution_is_refused(client, under_attack):
    payload = json.loads(base64.b64decode(_solved_payload(client)))
    payload["number"] += 1

    _sign(client, under_attack, altcha=base64.b64encode(json.dumps(payload).encode()).decode())

    assert not Signature.objects.exists()


def test_a_petition_not_under_attack_has_no_widget(client, open_petition):
    content = client.get(open_petition.get_absolute_url()).content.decode()

    assert "altcha" not in content


def test_with_redis_unreachable_signing_under_proof_of_work_still_works(
    under_attack, redis_unreachable
):
    # The used solutions live in the shared cache; without it they live in this process's memory.
    client = Client(raise_request_exception=False)

    response = _sign(client, under_attack, altcha=_solved_payload(client))

    assert response.status_code == 302
    assert Signature.objects.get().status == Signature.Status.PENDING


def test_with_redis_unreachable_a_solution_still_works_only_once_per_process(
    under_attack, redis_unreachable
):
    client = Client(raise_request_exception=False)
    payload = _solved_payload(client)
    _sign(client, under_attack, altcha=payload)

    response = _sign(client, under_attack, altcha=payload, email="again@example.org")

    assert response.status_code == 200
    assert Signature.objects.count() == 1
