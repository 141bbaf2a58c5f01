"""
"Accepts signatures" is one rule (`petitions.models.accepting_signatures_at`): the petition page,
the list of petitions that accept signatures and the confirm link's statement agree on every
petition, whatever its status and dates.
"""

from datetime import timedelta
from itertools import product

import pytest
from django.utils import timezone

from petitions.models import Petition, Signature

from .conftest import make_signature

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _every_kind_of_petition() -> list[Petition]:
    """A petition for each status and each opening and closing date around now."""
    now = timezone.now()
    petitions = []
    for n, (status, opens, closes) in enumerate(
        product(Petition.Status.values, (-2 * DAY, 2 * DAY), (None, -DAY, 3 * DAY))
    ):
        if closes is not None and closes <= opens:
            continue  # the database refuses a petition that closes before it opens
        petitions.append(
            Petition.objects.create(
                slug=f"petition-{n}",
                status=status,
                title_en="A petition",
                summary_en="Summary.",
                text_en="Text.",
                target_en="Someone",
                opens_at=now + opens,
                closes_at=None if closes is None else now + closes,
            )
        )
    return petitions


def test_the_page_and_the_queryset_agree_on_every_petition():
    petitions = _every_kind_of_petition()

    on_the_page = {petition.slug for petition in petitions if petition.accepts_signatures}
    in_the_queryset = set(Petition.objects.accepting_signatures().values_list("slug", flat=True))

    assert on_the_page == in_the_queryset
    assert len(on_the_page) == 2  # open, opened two days ago, not closed or closing tomorrow


def test_the_confirm_link_confirms_exactly_where_the_page_accepts_signatures():
    petitions = _every_kind_of_petition()
    signatures = [make_signature(petition) for petition in petitions]

    slugs = [Signature.objects.confirm_pending(signature.pk) for signature in signatures]

    confirmed = {slug for slug in slugs if slug}
    assert confirmed == {petition.slug for petition in petitions if petition.accepts_signatures}
    assert set(Signature.objects.confirmed().values_list("petition__slug", flat=True)) == confirmed


def test_confirming_a_signature_in_code_follows_the_confirm_link(open_petition):
    # Signature.confirm() is the confirm link's statement: a petition closed since signing
    # takes no more confirmations, whichever way they come.
    signature = make_signature(open_petition)
    open_petition.status = Petition.Status.CLOSED
    open_petition.save(update_fields=["status"])

    assert signature.confirm() is False

    signature.refresh_from_db()
    assert signature.status == Signature.Status.PENDING
    assert signature.confirmed_at is None


def test_confirming_in_code_confirms_once_and_says_so(open_petition):
    signature = make_signature(open_petition)

    first, second = signature.confirm(), signature.confirm()

    assert (first, second) == (True, False)
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.confirmed_at is not None
