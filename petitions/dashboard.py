"""
What the admin's front page shows staff: what waits in each moderation queue, and for each open
petition its confirmed signatures per day over the last 30 days (drawn here as SVG bars) and its
countries (from the kept tallies).

Cheap at a million signatures: the queues are counted through partial indexes holding only
their few rows; the chart groups one petition's last 30 days of confirmations, through the
(petition, confirmed_at) index of confirmed rows, and is cached for a minute.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.http import HttpRequest
from django.utils import timezone

from .models import CountryTally, Endorsement, Petition, Signature

DAYS = 30
TOP_COUNTRIES = 10
CHART_CACHE_SECONDS = 60
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
    key = f"dashboard-per-day:{petition.pk}:{today.isoformat()}"
    days = cache.get(key)
    if days is None:
        since = today - timedelta(days=DAYS - 1)
        counted = dict(
            Signature.objects.confirmed()
            .filter(
                petition=petition,
                confirmed_at__gte=timezone.make_aware(datetime.combine(since, time.min)),
            )
            .annotate(day=TruncDate("confirmed_at"))
            .order_by()
            .values_list("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )
        days = [
            (since + timedelta(days=i), counted.get(since + timedelta(days=i), 0))
            for i in range(DAYS)
        ]
        cache.set(key, days, CHART_CACHE_SECONDS)
    return days


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
