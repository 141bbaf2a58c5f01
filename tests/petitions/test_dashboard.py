"""The admin front page: what waits in each queue, and each open petition's chart and countries."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions.counting import count_signatures
from petitions.dashboard import chart

from .conftest import make_signature
from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db


def test_the_front_page_shows_the_queues_and_a_chart_per_open_petition(
    moderator_client, open_petition, closed_petition
):
    from petitions.models import Petition

    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    make_endorsement(open_petition, status="awaiting")
    make_signature(open_petition, status="suspected")
    make_signature(open_petition, status="suspected")
    make_signature(open_petition, comment="Please approve me")
    yesterday = timezone.now() - timedelta(days=1)
    for _ in range(3):
        make_signature(open_petition, status="confirmed", country="TW", confirmed_at=yesterday)
    make_signature(open_petition, status="confirmed", country="GB")
    count_signatures()

    page = moderator_client.get(reverse("admin:index")).content.decode()
    text = re.sub(r"\s+", " ", page)

    assert re.search(r"Endorsements awaiting approval</a></th> <td[^>]*>1<", text)
    assert re.search(r"Comments awaiting moderation</a></th> <td[^>]*>1<", text)
    assert re.search(r"Suspected signatures</a></th> <td[^>]*>2<", text)
    assert "Open the archives" in page
    assert "An earlier call" not in page
    assert page.count('class="dashboard-bar"') == 30
    assert f"{timezone.localdate(yesterday):%Y-%m-%d}: 3" in page
    assert "style=" not in page.split('class="dashboard"')[1].split("</svg>")[0]
    assert re.search(r"<td>Taiwan</td><td[^>]*>3</td>", page)


def test_bars_scale_to_the_busiest_day():
    today = timezone.localdate()
    bars = chart([(today - timedelta(days=1), 5), (today, 10)])

    assert [bar.height for bar in bars] == [60.0, 120.0]
    assert [bar.y for bar in bars] == [60.0, 0.0]


def test_a_day_without_signatures_draws_no_bar():
    bars = chart([(timezone.localdate(), 0)])

    assert bars[0].height == 0


def test_the_counting_job_keeps_the_daily_tallies_the_chart_reads(open_petition):
    from petitions.models import DailyTally, Signature

    yesterday = timezone.now() - timedelta(days=1)
    signatures = [
        make_signature(open_petition, status="confirmed", confirmed_at=yesterday) for _ in range(3)
    ]
    count_signatures()
    signatures[0].reject()
    count_signatures()

    tally = DailyTally.objects.get(petition=open_petition)
    assert (tally.day, tally.signature_count) == (timezone.localdate(yesterday), 2)
    assert Signature.objects.filter(is_counted=True).count() == 2
