"""
Counting after staff correct a counted signature (issue 12, finding 1).

A moderator may change a counted signature's country. The counting job used to take the row
off the tally of its current country, which never counted it: from a tally at 0 that broke
the non-negative check, the batch rolled back on every run, and no petition was counted again.
"""

import io
import logging
from datetime import date

import pytest
from django import forms
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.urls import reverse

from petitions import retention
from petitions.counting import count_signatures
from petitions.models import CountryTally, DailyTally, Petition, Signature

from .conftest import VALID_SIGNER, links_in, make_signature, path_of

pytestmark = pytest.mark.django_db

CONFIRMED = Signature.Status.CONFIRMED


@pytest.fixture(autouse=True)
def _counting_by_the_job(settings):
    # As in production: the counting job runs on its own, never inside a request.
    settings.COUNT_SIGNATURES_INLINE = False


@pytest.fixture
def other_petition(open_petition) -> Petition:
    """A second open petition, whose signers wait behind the first one's rows."""
    return Petition.objects.create(
        slug="another-call",
        status=Petition.Status.OPEN,
        title_en="Another call",
        summary_en="Another petition.",
        text_en="Another petition.",
        target_en="The National People's Congress",
    )


def _sign_and_confirm(client, petition, capture, mailoutbox, *, email, country) -> dict:
    """Sign through the form and confirm through the mailed link; return the mail's links."""
    with capture(execute=True):
        client.post(
            reverse("petitions:sign", kwargs={"slug": petition.slug}),
            {**VALID_SIGNER, "email": email, "country": country},
        )
    links = links_in(mailoutbox[-1])
    client.post(path_of(links["confirm"], _site_url()))
    return links


def _site_url() -> str:
    return django_settings.SITE_URL


def _withdraw(client, links: dict) -> None:
    response = client.post(path_of(links["withdraw"], _site_url()))
    assert response.status_code == 302


def _admin_change(client, signature: Signature, **changes: object) -> None:
    """Save the signature's admin change form as staff do, with `changes` typed in."""
    url = reverse("admin:petitions_signature_change", args=[signature.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    response = client.post(url, {name: value for name, value in data.items() if value is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors


def _tallies(petition: Petition) -> dict[str, int]:
    return dict(
        CountryTally.objects.filter(petition=petition, signature_count__gt=0).values_list(
            "country", "signature_count"
        )
    )


def _days(petition: Petition) -> dict[date, int]:
    return dict(
        DailyTally.objects.filter(petition=petition)
        .exclude(signature_count=0)
        .values_list("day", "signature_count")
    )


def _assert_counts_follow_the_signatures() -> None:
    """Every petition's total, country tallies and daily tallies equal its confirmed rows."""
    assert not Signature.objects.awaiting_count().exists()
    for petition in Petition.objects.all():
        petition.refresh_from_db()
        confirmed = Signature.objects.filter(petition=petition, status=CONFIRMED).order_by()
        assert petition.signature_count == confirmed.count(), petition.slug
        assert _tallies(petition) == dict(
            confirmed.values("country").annotate(n=Count("pk")).values_list("country", "n")
        )
        assert _days(petition) == dict(
            confirmed.values(day=TruncDate("confirmed_at"))
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )


def test_the_issues_repro_leaves_every_count_moving(
    client,
    moderator_client,
    open_petition,
    other_petition,
    mailoutbox,
    caplog,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    tuvalu = _sign_and_confirm(
        client, open_petition, capture, mailoutbox, email="tv@example.org", country="TV"
    )
    call_command("count_signatures", stdout=io.StringIO())
    _withdraw(client, tuvalu)
    call_command("count_signatures", stdout=io.StringIO())
    assert CountryTally.objects.get(petition=open_petition, country="TV").signature_count == 0
    nauru = _sign_and_confirm(
        client, open_petition, capture, mailoutbox, email="nr@example.org", country="NR"
    )
    call_command("count_signatures", stdout=io.StringIO())
    _admin_change(moderator_client, Signature.objects.get(country="NR"), country="TV")
    _withdraw(client, nauru)
    # Another petition's signer, waiting behind the row that used to block everything.
    other = make_signature(other_petition, status=CONFIRMED, country="GB")

    with caplog.at_level(logging.ERROR):
        out = io.StringIO()
        call_command("count_signatures", stdout=out)

    assert "Counted 2 signature change(s)." in out.getvalue()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    open_petition.refresh_from_db()
    assert open_petition.signature_count == 0
    assert _tallies(open_petition) == {}
    assert CountryTally.objects.get(petition=open_petition, country="TV").signature_count == 0
    assert CountryTally.objects.get(petition=open_petition, country="NR").signature_count == 0
    other.refresh_from_db()
    assert other.is_counted
    _assert_counts_follow_the_signatures()


def test_a_country_corrected_after_counting_moves_the_tally_at_the_next_run(
    moderator_client, open_petition
):
    signature = make_signature(open_petition, status=CONFIRMED, country="NR")
    count_signatures()

    _admin_change(moderator_client, signature, country="TV")
    count_signatures()

    open_petition.refresh_from_db()
    assert open_petition.signature_count == 1
    assert _tallies(open_petition) == {"TV": 1}
    signature.refresh_from_db()
    assert (signature.counted_country, signature.is_counted) == ("TV", True)


def test_a_row_the_tallies_cannot_take_is_passed_over_and_logged_by_id_only(
    open_petition, other_petition, caplog
):
    stuck = make_signature(open_petition, status=CONFIRMED, country="NR", full_name="Ann Secret")
    count_signatures()
    # A tally that drifted below what it counted (a hand edit in the database, a bug): taking
    # the row off would go below zero.
    CountryTally.objects.filter(petition=open_petition, country="NR").update(signature_count=0)
    stuck.withdraw()
    behind = [make_signature(other_petition, status=CONFIRMED) for _ in range(3)]

    with caplog.at_level(logging.ERROR, logger="petitions.counting"):
        counted = count_signatures(batch_size=2)

    assert counted == 3
    assert all(Signature.objects.get(pk=s.pk).is_counted for s in behind)
    other_petition.refresh_from_db()
    assert other_petition.signature_count == 3
    assert caplog.records
    for record in caplog.records:
        assert f"Signature {stuck.pk} could not be counted" in record.getMessage()
    assert "Ann Secret" not in caplog.text and "NR" not in caplog.text


def test_reconcile_runs_and_repairs_even_when_counting_fails(open_petition, caplog):
    stuck = make_signature(open_petition, status=CONFIRMED, country="NR")
    kept = make_signature(open_petition, status=CONFIRMED, country="GB")
    count_signatures()
    CountryTally.objects.filter(petition=open_petition, country="NR").update(signature_count=0)
    DailyTally.objects.filter(petition=open_petition).update(signature_count=7)
    stuck.withdraw()
    out = io.StringIO()

    with caplog.at_level(logging.ERROR):
        call_command("reconcile_counts", stdout=out)

    assert "1 daily tally(ies) off" in out.getvalue()
    kept.refresh_from_db()
    assert kept.is_counted
    assert _tallies(open_petition) == {"GB": 1}
    _assert_counts_follow_the_signatures()


def test_reconcile_keeps_going_when_the_counting_step_raises(open_petition, monkeypatch):
    from django.db import DatabaseError

    from petitions.management.commands import reconcile_counts

    def broken(*args: object, **kwargs: object) -> int:
        raise DatabaseError("counting broke")

    monkeypatch.setattr(reconcile_counts, "count_signatures", broken)
    make_signature(open_petition, status=CONFIRMED, country="GB")
    out = io.StringIO()

    call_command("reconcile_counts", stdout=out)

    assert "count 0 -> 1" in out.getvalue()
    _assert_counts_follow_the_signatures()


def _a_different_value(field: forms.Field, current: object) -> object:
    """A valid value other than `current` for a field of the admin's change form."""
    if isinstance(field, forms.ChoiceField):
        # A country (or other choice) that nobody has signed from yet: its tally is 0.
        used = set(Signature.objects.values_list("country", flat=True))
        return next(v for v, _ in field.choices if v and v != current and v not in used)
    if isinstance(field, forms.BooleanField):
        return not current
    if isinstance(field, forms.CharField):
        return f"{current or ''} corrected"[-(field.max_length or 1000) :].strip()
    raise AssertionError(f"The test does not know how to change a {type(field).__name__}")


def _uncount_by_withdrawing(client, moderator_client, signature, links) -> None:
    _withdraw(client, links)


def _uncount_by_rejecting(client, moderator_client, signature, links) -> None:
    moderator_client.post(
        reverse("admin:petitions_signature_changelist"),
        {"action": "reject_selected", "_selected_action": [signature.pk]},
    )
    assert Signature.objects.get(pk=signature.pk).status == Signature.Status.REJECTED


def _uncount_by_erasing(client, moderator_client, signature, links) -> None:
    retention.erase_person(signature.email)


@pytest.mark.parametrize(
    "uncount", [_uncount_by_withdrawing, _uncount_by_rejecting, _uncount_by_erasing]
)
def test_no_field_a_moderator_can_edit_breaks_or_blocks_counting(
    client,
    moderator_client,
    open_petition,
    other_petition,
    mailoutbox,
    uncount,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    probe = make_signature(open_petition, status=CONFIRMED)
    url = reverse("admin:petitions_signature_change", args=[probe.pk])
    editable = moderator_client.get(url).context["adminform"].form.fields
    assert "country" in editable  # the field of the finding; the others must be as harmless
    probe.delete()

    for number, name in enumerate(editable):
        links = _sign_and_confirm(
            client,
            open_petition,
            capture,
            mailoutbox,
            email=f"edited-{name}-{number}@example.org",
            country="NR",
        )
        count_signatures()
        signature = Signature.objects.get(email=f"edited-{name}-{number}@example.org")
        value = _a_different_value(editable[name], getattr(signature, name))
        _admin_change(moderator_client, signature, **{name: value})
        count_signatures()
        _assert_counts_follow_the_signatures()

        uncount(client, moderator_client, signature, links)
        waiting = make_signature(other_petition, status=CONFIRMED)
        count_signatures()

        assert Signature.objects.get(pk=waiting.pk).is_counted, name
        _assert_counts_follow_the_signatures()


def test_the_migration_records_where_already_counted_signatures_were_counted(open_petition):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("petitions.migrations.0013_signature_counted_tallies")
    counted = make_signature(open_petition, status=CONFIRMED, country="TW", is_counted=True)
    waiting = make_signature(open_petition, status=CONFIRMED, country="HK")

    migration.backfill(apps, None)

    counted.refresh_from_db()
    waiting.refresh_from_db()
    assert (counted.counted_country, counted.counted_on) == ("TW", counted.confirmed_at.date())
    assert (waiting.counted_country, waiting.counted_on) == ("", None)
