"""The retention command: what it deletes and erases, and the counts it leaves alone."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from petitions.counting import count_signatures, reconcile_petition
from petitions.models import CountryTally, Endorsement, Petition, Signature, SignatureQuerySet

from .conftest import make_signature
from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db


def _purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def _days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def test_unconfirmed_signatures_are_deleted_after_the_retention_period(open_petition, settings):
    settings.UNCONFIRMED_SIGNATURE_RETENTION_DAYS = 30
    old_pending = make_signature(open_petition, created_at=_days_ago(31))
    old_suspected = make_signature(open_petition, status="suspected", created_at=_days_ago(31))
    new_pending = make_signature(open_petition, created_at=_days_ago(29))
    old_confirmed = make_signature(open_petition, status="confirmed", created_at=_days_ago(90))

    output = _purge()

    remaining = set(Signature.objects.values_list("pk", flat=True))
    assert remaining == {new_pending.pk, old_confirmed.pk}
    assert old_pending.pk not in remaining and old_suspected.pk not in remaining
    assert "unconfirmed signatures deleted: 2" in output


def test_unconfirmed_endorsements_are_deleted_after_the_retention_period(open_petition):
    endorsing_petition = open_petition
    stale = make_endorsement(endorsing_petition, status="pending", created_at=_days_ago(60))
    awaiting = make_endorsement(endorsing_petition, created_at=_days_ago(60))

    _purge()

    assert list(Endorsement.objects.values_list("pk", flat=True)) == [awaiting.pk]
    assert not Endorsement.objects.filter(pk=stale.pk).exists()


def test_client_hashes_are_erased_after_a_day(open_petition):
    old = make_signature(open_petition, client_hash="a" * 32, created_at=_days_ago(1.1))
    recent = make_signature(open_petition, client_hash="b" * 32)

    _purge()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.client_hash == ""
    assert recent.client_hash == "b" * 32


def _named_signers(petition: Petition, count: int, **extra: object) -> list[Signature]:
    """Confirmed signers from Taiwan with a public name and a comment: data to erase."""
    return [
        make_signature(
            petition,
            status="confirmed",
            full_name=f"Named Person {n}",
            comment="I sign.",
            show_name_publicly=True,
            country="TW",
            **extra,
        )
        for n in range(count)
    ]


def test_personal_data_of_a_long_closed_petition_is_erased_and_the_counts_survive(
    long_closed, closed_petition
):
    _named_signers(long_closed, 3, client_hash="c" * 32)
    recent_close = make_signature(closed_petition, status="confirmed", full_name="Kept Person")
    form = make_endorsement(long_closed, status="approved")
    imported = make_endorsement(
        long_closed, status="approved", source="import", contact_name="", email="", email_key=None
    )
    count_signatures()

    output = _purge()

    erased = Signature.objects.filter(petition=long_closed)
    assert set(erased.values_list("full_name", "email", "email_key", "comment")) == {
        ("", "", None, "")
    }
    assert not erased.filter(show_name_publicly=True).exists()
    assert set(erased.values_list("status", "is_counted", "country")) == {
        ("confirmed", True, "TW")
    }
    assert Signature.objects.get(pk=recent_close.pk).full_name == "Kept Person"
    form.refresh_from_db()
    assert (form.contact_name, form.contact_role, form.email, form.email_key) == ("", "", "", None)
    assert form.contact_erased_at is not None
    assert form.status == "approved"  # the organisation's endorsement stays
    imported.refresh_from_db()
    assert imported.contact_erased_at is None
    assert "signatures erased: 3" in output
    assert "endorsement contacts erased: 1" in output

    # The counts, kept and recounted from scratch, are the same.
    long_closed.refresh_from_db()
    assert long_closed.signature_count == 3
    assert count_signatures() == 0
    drift = reconcile_petition(long_closed)
    assert drift.counted_before == drift.counted_now == 3
    assert CountryTally.objects.get(petition=long_closed, country="TW").signature_count == 3


def test_a_dry_run_changes_nothing_and_says_what_would_go(long_closed):
    signature = make_signature(long_closed, status="confirmed", full_name="Still Here")

    output = _purge("--dry-run")

    signature.refresh_from_db()
    assert signature.full_name == "Still Here"
    assert output.startswith("Would purge:")
    assert "signatures erased: 1" in output


def test_it_works_in_batches_and_a_second_run_finds_nothing_to_do(open_petition, long_closed):
    for _ in range(5):
        make_signature(open_petition, created_at=_days_ago(60))
        make_signature(long_closed, status="confirmed")

    first = _purge("--batch-size", "2")
    second = _purge("--batch-size", "2")

    assert "unconfirmed signatures deleted: 5" in first
    assert "signatures erased: 5" in first
    assert second.strip() == (
        "Purged: unconfirmed signatures deleted: 0, unconfirmed endorsements deleted: 0, "
        "client hashes erased: 0, signatures erased: 0, endorsement contacts erased: 0."
    )


class Interrupted(Exception):
    """A run cut short midway: the process killed, the connection lost."""


# Real transactions: the first batch is committed before the second one breaks, as in a run
# that cron started and something killed.
@pytest.mark.django_db(transaction=True)
def test_an_interrupted_run_leaves_whole_batches_and_a_second_run_finishes_the_job(
    long_closed, monkeypatch
):
    signatures = _named_signers(long_closed, 5)
    count_signatures()
    erase = SignatureQuerySet.erase_personal_data
    batches = []

    def erase_then_break_in_the_second_batch(batch: SignatureQuerySet) -> int:
        batches.append(batch)
        erased = erase(batch)  # the second batch's rows are written, then the run breaks
        if len(batches) == 2:
            raise Interrupted
        return erased

    monkeypatch.setattr(
        SignatureQuerySet, "erase_personal_data", erase_then_break_in_the_second_batch
    )

    with pytest.raises(Interrupted):
        _purge("--batch-size", "2")

    # The first batch (the two lowest ids) is erased whole, the second rolled back whole.
    names = dict(Signature.objects.values_list("pk", "full_name"))
    assert [names[s.pk] for s in signatures] == [
        "",
        "",
        "Named Person 2",
        "Named Person 3",
        "Named Person 4",
    ]
    assert Signature.objects.filter(full_name="", comment="", email="").count() == 2
    assert Signature.objects.filter(show_name_publicly=True).count() == 3
    assert set(Signature.objects.values_list("status", "is_counted", "country")) == {
        ("confirmed", True, "TW")
    }
    long_closed.refresh_from_db()
    assert long_closed.signature_count == 5

    monkeypatch.undo()
    output = _purge("--batch-size", "2")

    assert "signatures erased: 3" in output
    assert set(Signature.objects.values_list("full_name", "email", "email_key", "comment")) == {
        ("", "", None, "")
    }
    long_closed.refresh_from_db()
    assert long_closed.signature_count == 5
    assert count_signatures() == 0
    assert CountryTally.objects.get(petition=long_closed, country="TW").signature_count == 5


def test_a_petition_staff_closed_by_hand_counts_from_its_last_change(open_petition):
    signature = make_signature(open_petition, status="confirmed", full_name="By Hand")
    Petition.objects.filter(pk=open_petition.pk).update(
        status=Petition.Status.CLOSED, updated_at=_days_ago(400)
    )

    _purge()

    signature.refresh_from_db()
    assert signature.full_name == ""
