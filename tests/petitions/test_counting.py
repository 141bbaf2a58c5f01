import io

import pytest
from django.core.management import call_command

from petitions.counting import count_signatures, reconcile_petition
from petitions.models import CountryTally, Petition, Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db

CONFIRMED = Signature.Status.CONFIRMED


def _tallies(petition: Petition) -> dict[str, int]:
    return dict(
        CountryTally.objects.filter(petition=petition).values_list("country", "signature_count")
    )


def test_the_job_adds_confirmed_signatures_to_the_count_and_country_tallies(open_petition):
    for country in ["TW", "TW", "HK"]:
        make_signature(open_petition, status=CONFIRMED, country=country)
    make_signature(open_petition)  # pending: not counted

    handled = count_signatures()

    open_petition.refresh_from_db()
    assert handled == 3
    assert open_petition.signature_count == 3
    assert _tallies(open_petition) == {"TW": 2, "HK": 1}


def test_the_count_equals_the_confirmed_rows_after_the_job(open_petition, closed_petition):
    statuses = ["confirmed"] * 7 + ["pending"] * 3 + ["suspected", "rejected", "withdrawn"]
    for index, status in enumerate(statuses):
        make_signature(open_petition, status=status, country=["TW", "GB", "US"][index % 3])
    make_signature(closed_petition, status=CONFIRMED)
    count_signatures()
    first = Signature.objects.filter(petition=open_petition, status=CONFIRMED).first()
    first.withdraw()
    Signature.objects.filter(petition=open_petition, status="pending")[:1].get().confirm()

    count_signatures(batch_size=2)

    open_petition.refresh_from_db()
    confirmed = Signature.objects.filter(petition=open_petition, status=CONFIRMED)
    assert open_petition.signature_count == confirmed.count() == 7
    assert sum(_tallies(open_petition).values()) == 7
    for country, n in _tallies(open_petition).items():
        assert confirmed.filter(country=country).count() == n


def test_running_the_job_twice_counts_nothing_twice(open_petition):
    make_signature(open_petition, status=CONFIRMED)
    count_signatures()

    handled = count_signatures()

    open_petition.refresh_from_db()
    assert handled == 0
    assert open_petition.signature_count == 1


def test_a_signature_rejected_by_staff_after_counting_is_taken_off(open_petition):
    signature = make_signature(open_petition, status=CONFIRMED, country="TW")
    count_signatures()
    Signature.objects.filter(pk=signature.pk).update(status=Signature.Status.REJECTED)

    count_signatures()

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 0
    assert _tallies(open_petition) == {"TW": 0}


def test_the_count_command_runs_the_job_once(open_petition):
    make_signature(open_petition, status=CONFIRMED)
    out = io.StringIO()

    call_command("count_signatures", stdout=out)

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 1
    assert "Counted 1 signature change(s)." in out.getvalue()


def test_the_count_command_refuses_a_non_positive_interval():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--every"):
        call_command("count_signatures", every=0, stdout=io.StringIO())


def test_reconcile_corrects_a_drifted_count_and_tallies(open_petition):
    make_signature(open_petition, status=CONFIRMED, country="TW")
    make_signature(open_petition, status=CONFIRMED, country="GB")
    count_signatures()
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=99)
    CountryTally.objects.filter(petition=open_petition, country="TW").update(signature_count=5)
    CountryTally.objects.create(petition=open_petition, country="FR", signature_count=3)
    out = io.StringIO()

    call_command("reconcile_counts", stdout=out)

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 2
    assert _tallies(open_petition) == {"TW": 1, "GB": 1, "FR": 0}
    assert "free-the-archive: count 99 -> 2, 2 country tally(ies) off" in out.getvalue()


def test_reconcile_recounts_rows_whose_counted_flag_is_wrong(open_petition):
    signature = make_signature(open_petition, status=CONFIRMED, country="TW")
    count_signatures()
    Signature.objects.filter(pk=signature.pk).update(is_counted=False)  # a flag out of step

    reconcile_petition(open_petition)
    count_signatures()

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 1


def test_reconcile_dry_run_reports_without_correcting(open_petition):
    make_signature(open_petition, status=CONFIRMED)
    count_signatures()
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=10)
    out = io.StringIO()

    call_command("reconcile_counts", "--dry-run", stdout=out)

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 10
    assert "count 10 -> 1" in out.getvalue()
    assert "would be corrected" in out.getvalue()


def test_reconcile_with_no_drift_reports_none(open_petition):
    make_signature(open_petition, status=CONFIRMED)
    count_signatures()
    out = io.StringIO()

    call_command("reconcile_counts", "--petition", open_petition.slug, stdout=out)

    assert out.getvalue() == "Reconciled 1 petition(s): 0 with drift corrected.\n"


def test_the_count_task_runs_the_job(open_petition):
    from petitions.tasks import count_signatures as count_task

    make_signature(open_petition, status=CONFIRMED)

    result = count_task.enqueue()

    open_petition.refresh_from_db()
    assert result.return_value == 1
    assert open_petition.signature_count == 1


class _StopLoop(Exception):
    pass


# Outside a test transaction: the command drops a broken connection, as it should in production.
@pytest.mark.django_db(transaction=True)
def test_the_count_loop_survives_a_database_outage_and_keeps_counting(open_petition, monkeypatch):
    from django.db import DatabaseError

    from petitions.management.commands import count_signatures as command

    make_signature(open_petition, status=CONFIRMED)
    outcomes = iter([DatabaseError("server closed the connection"), None])
    real_count = command.count_signatures

    def flaky_count(batch_size):
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome
        return real_count(batch_size)

    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise _StopLoop

    monkeypatch.setattr(command, "count_signatures", flaky_count)
    monkeypatch.setattr(command.time, "sleep", sleep)
    out = io.StringIO()

    with pytest.raises(_StopLoop):
        call_command("count_signatures", every=5, stdout=out)

    open_petition.refresh_from_db()
    assert sleeps == [5, 5]
    assert open_petition.signature_count == 1
    assert "Counted 1 signature change(s)." in out.getvalue()
