"""
What the admin's front page shows staff: what waits in each moderation queue, and for each open
petition its confirmed signatures per day over the last 30 days (drawn here as SVG bars) and its
countries (from the kept tallies).

Cheap at a million signatures: the queues are counted through partial indexes holding only
their few rows; the chart reads the petition's daily tallies, kept by the counting job (grouping
a million confirmations by day took a second), and the countries its country tallies.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import HttpRequest
from django.utils import timezone

from .models import CountryTally, DailyTally, Endorsement, Petition, Signature

DAYS = 30
TOP_COUNTRIES = 10
# The chart's drawing area, in SVG user units (the CSS scales it to the page's width).
CHART_WIDTH, CHART_HEIGHT = 600, 120


@dataclass
class Bar:
    day: date
    count: int
    x: float
    y: float
    width: float
    height: float


def _per_day(petition: Petition, today: date) -> list[tuple[date, int]]:
    since = today - timedelta(days=DAYS - 1)
    counted = dict(
        DailyTally.objects.filter(petition=petition, day__gte=since).values_list(
            "day", "signature_count"
        )
    )
    return [
        (since + timedelta(days=i), counted.get(since + timedelta(days=i), 0)) for i in range(DAYS)
    ]


def chart(days: list[tuple[date, int]]) -> list[Bar]:
    """Bars scaled to the largest day, with a little gap between them."""
    most = max((count for _, count in days), default=0) or 1
    slot = CHART_WIDTH / len(days)
    bars = []
    for i, (day, count) in enumerate(days):
        height = round(CHART_HEIGHT * count / most, 1)
        bars.append(
            Bar(day, count, round(i * slot + 1, 1), CHART_HEIGHT - height, slot - 2, height)
        )
    return bars


def dashboard(request: HttpRequest) -> dict:
    """The admin index's extra context, limited to what this staff member may see."""
    user = request.user
    queues = []
    if user.has_perm("petitions.view_endorsement"):
        queues.append(("endorsements", Endorsement.objects.awaiting_approval().count()))
    if user.has_perm("petitions.view_signature"):
        queues.append(("comments", Signature.objects.comments_awaiting_moderation().count()))
        queues.append(("suspected", Signature.objects.suspected().count()))
    petitions = []
    if user.has_perm("petitions.view_petition"):
        today = timezone.localdate()
        for petition in Petition.objects.open().filter(takes_signatures=True):
            days = _per_day(petition, today)
            petitions.append(
                {
                    "petition": petition,
                    "bars": chart(days),
                    "first_day": days[0][0],
                    "last_day": days[-1][0],
                    "last_30_days": sum(count for _, count in days),
                    "countries": list(
                        CountryTally.objects.filter(petition=petition, signature_count__gt=0)[
                            :TOP_COUNTRIES
                        ]
                    ),
                }
            )
    return {
        "dashboard_queues": queues,
        "dashboard_petitions": petitions,
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
    }
