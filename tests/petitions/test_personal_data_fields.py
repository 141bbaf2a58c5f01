"""
A signature's personal data is declared once (`Signature.PERSONAL_DATA_ERASED`): withdrawal, a
person's erasure request and the retention command erase exactly those fields, and the retention
command finds a signature that still holds any one of them.
"""

import pytest
from django.utils import timezone

from petitions import retention
from petitions.email_keys import email_key
from petitions.models import Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db

HELD = {
    "full_name": "Ann Example",
    "email": "ann@example.org",
    "email_key": "ann@example.org",
    "comment": "I agree.",
    "show_name_publicly": True,
    "wants_updates": True,
    "consented_at": timezone.now(),
    "client_hash": "c" * 32,
    "network": "203.0.113.0/24",
}


def _personal_data(signature: Signature) -> dict[str, object]:
    signature.refresh_from_db()
    return {name: getattr(signature, name) for name in Signature.PERSONAL_DATA_ERASED}


def test_the_declaration_names_every_field_a_signer_gives_about_themselves():
    assert set(HELD) == set(Signature.PERSONAL_DATA_ERASED)


def test_withdrawal_erasure_and_retention_erase_every_declared_field(long_closed, open_petition):
    withdrawn = make_signature(open_petition, status="confirmed", **HELD)
    requested = make_signature(
        open_petition,
        status="confirmed",
        **{**HELD, "email": "bo@example.org", "email_key": email_key("bo@example.org")},
    )
    retained = make_signature(long_closed, status="confirmed", **HELD)

    withdrawn.withdraw()
    retention.erase_person("bo@example.org")
    retention.purge_personal_data()

    for signature in (withdrawn, requested, retained):
        assert _personal_data(signature) == Signature.PERSONAL_DATA_ERASED
    assert not Signature.objects.with_personal_data().exists()


@pytest.mark.parametrize("field", list(HELD))
def test_retention_finds_a_signature_holding_any_one_personal_field(long_closed, field):
    signature = make_signature(
        long_closed, status="confirmed", **{**Signature.PERSONAL_DATA_ERASED, field: HELD[field]}
    )

    purge = retention.purge_personal_data()

    assert purge.signatures_erased == 1
    assert _personal_data(signature) == Signature.PERSONAL_DATA_ERASED
