"""
What the admin's front page shows staff, to answer "how are we doing": what waits in each
moderation queue; for each open petition its confirmed signatures today, in the last 7 days (and
the change on the 7 days before) and in all, and a chart of the last 30 days; for every petition,
open or closed, its confirmed signatures by country.

Cheap at a million signatures: nothing here reads the signature table beyond counts through
partial indexes. The figures come from the tallies the counting job keeps (petitions/counting.py):
a day's or a country's total is one row, so the page reads at most 30 rows per open petition and
one per country per petition, however many people signed. Each query says what it costs.

The tallies hold counted signatures: a confirmation shows here once the counting job has run (at
once with COUNT_SIGNATURES_INLINE, otherwise within the job's interval).
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .models import CountryTally, DailyTally, Endorsement, Petition, Signature

DAYS = 30  # the chart's span; at least two weeks, for the week-on-week change
WEEK = 7
TOP_COUNTRIES = 10  # countries named in each petition's table; the rest are summed in one row

# The chart, in SVG user units (the CSS scales it to the page's width): the plot area inside
# margins that hold the title, the axes' values and the axes' names.
CHART_WIDTH, CHART_HEIGHT = 720, 284
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 64, 708, 48, 236
# A bar's value is printed above it only when it fits in the bar's slot (about 7 units a digit
# at the chart's font size); the table behind the chart always has every value.
UNITS_PER_CHARACTER = 7


@dataclass
class Queue:
    name: str
    label: str
    count: int
    url_name: str
    query: str


@dataclass
class Bar:
    day: date
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass
class Tick:
    label: str
    position: float
    anchor: str = "middle"  # SVG text-anchor: where the label stands against its position


@dataclass
class Chart:
    """Confirmed signatures per day as bars, laid out for admin/includes/_daily_chart.html."""

    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    shows_values: bool
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = PLOT_LEFT
    right: int = PLOT_RIGHT
    top: int = PLOT_TOP
    bottom: int = PLOT_BOTTOM

    @property
    def x_title_y(self) -> int:
        return self.height - 6

    @property
    def x_title_middle(self) -> float:
        return (self.left + self.right) / 2

    @property
    def y_title_x(self) -> int:
        return 16

    @property
    def y_title_middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Progress:
    """One open petition's confirmed signatures: per day over the last DAYS days, and in all."""

    petition: Petition
    days: list[tuple[date, int]]  # oldest first, ending today; days without a tally count 0

    @property
    def total(self) -> int:
        return self.petition.signature_count

    @property
    def today(self) -> int:
        return self.days[-1][1]

    @property
    def last_7_days(self) -> int:
        """Today (so far) and the six days before it."""
        return sum(count for _, count in self.days[-WEEK:])

    @property
    def previous_7_days(self) -> int:
        return sum(count for _, count in self.days[-2 * WEEK : -WEEK])

    @property
    def last_30_days(self) -> int:
        return sum(count for _, count in self.days)

    @property
    def change(self) -> int:
        """Week on week: the last 7 days less the 7 days before them."""
        return self.last_7_days - self.previous_7_days

    @property
    def change_percent(self) -> int | None:
        """The change as a share of the week before, rounded; None when that week had none."""
        if not self.previous_7_days:
            return None
        return round(100 * self.change / self.previous_7_days)

    @property
    def change_sign(self) -> str:
        """The change's sign to print: a typographic minus, a plus, or nothing for none."""
        return "+" if self.change > 0 else "−" if self.change < 0 else ""

    @property
    def change_size(self) -> int:
        return abs(self.change)

    @property
    def change_percent_size(self) -> int | None:
        return None if self.change_percent is None else abs(self.change_percent)

    @property
    def first_day(self) -> date:
        return self.days[0][0]

    @property
    def last_day(self) -> date:
        return self.days[-1][0]

    @property
    def chart(self) -> Chart:
        return chart(self.days)


@dataclass
class CountryRow:
    country: object  # django_countries' Country: .code, .name
    count: int
    share: float  # percent of the petition's counted signatures


@dataclass
class Countries:
    """One petition's confirmed signatures by country: the largest named, the rest summed."""

    petition: Petition
    rows: list[CountryRow] = field(default_factory=list)
    other_countries: int = 0  # how many countries the "other countries" row sums
    other_count: int = 0
    total: int = 0


def _nice_step(most: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving the y axis about four intervals."""
    rough = max(most / 4, 1)
    magnitude = 10 ** math.floor(math.log10(rough))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)


def chart(days: list[tuple[date, int]]) -> Chart:
    """Bars for `days` on a y axis running from 0 to a round value above the busiest day."""
    most = max((count for _, count in days), default=0)
    step = _nice_step(most)
    top_value = max(step * math.ceil(most / step), step)
    plot_height = PLOT_BOTTOM - PLOT_TOP
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(days)

    def y_of(value: int) -> float:
        return round(PLOT_BOTTOM - plot_height * value / top_value, 1)

    bars = []
    for i, (day, count) in enumerate(days):
        y = y_of(count)
        x = round(PLOT_LEFT + i * slot + 1, 1)
        bars.append(Bar(day, count, x, y, round(slot - 2, 1), round(PLOT_BOTTOM - y, 1)))
    y_ticks = [
        Tick(formats.number_format(value, force_grouping=True), y_of(value))
        for value in range(0, top_value + 1, step)
    ]
    # A date under every seventh bar, counted back from the last, so today is always named; the
    # last label ends at the plot's right edge rather than running past the drawing.
    x_ticks = [
        Tick(formats.date_format(bar.day, "MONTH_DAY_FORMAT"), bar.middle) for bar in bars[::-WEEK]
    ][::-1]
    x_ticks[-1].position, x_ticks[-1].anchor = PLOT_RIGHT, "end"
    widest = len(formats.number_format(most, force_grouping=True))
    return Chart(bars, y_ticks, x_ticks, shows_values=widest * UNITS_PER_CHARACTER <= slot)


def _queues(user: object) -> list[Queue]:
    """The moderation queues this staff member may open, each with its count."""
    queues = []
    if user.has_perm("petitions.view_signature"):
        # Both counts read a partial index holding only that queue's rows (a few, never the
        # million confirmed signatures): signature_suspected_idx, signature_comment_queue_idx.
        queues.append(
            Queue(
                "suspected",
                _("Suspected signatures"),
                Signature.objects.suspected().count(),
                "admin:petitions_signature_changelist",
                "queue=suspected",
            )
        )
        queues.append(
            Queue(
                "comments",
                _("Comments awaiting moderation"),
                Signature.objects.comments_awaiting_moderation().count(),
                "admin:petitions_signature_changelist",
                "queue=comments",
            )
        )
    if user.has_perm("petitions.view_endorsement"):
        # Index range on endorsement_status_idx (status, created_at): the awaiting rows only.
        queues.append(
            Queue(
                "endorsements",
                _("Endorsements awaiting approval"),
                Endorsement.objects.awaiting_approval().count(),
                "admin:petitions_endorsement_changelist",
                "queue=awaiting",
            )
        )
    return queues


def _progress(today: date) -> list[Progress]:
    """Each open petition taking signatures, with its last DAYS days."""
    # The petitions table: a handful of rows.
    petitions = list(Petition.objects.open().filter(takes_signatures=True).order_by("-opens_at"))
    since = today - timedelta(days=DAYS - 1)
    # Index scan on daily_tally_unique_day (petition_id, day): at most DAYS rows per petition.
    tallies = DailyTally.objects.filter(petition__in=petitions, day__gte=since, day__lte=today)
    per_day = {(t.petition_id, t.day): t.signature_count for t in tallies}
    days = [since + timedelta(days=i) for i in range(DAYS)]
    return [
        Progress(petition, [(day, per_day.get((petition.pk, day), 0)) for day in days])
        for petition in petitions
    ]


def _countries(petitions: list[Petition]) -> list[Countries]:
    """Every petition's confirmed signatures by country, the largest TOP_COUNTRIES named."""
    # Index scan on tally_top_countries_idx (petition_id, signature_count DESC): one row per
    # country that signed, at most ~250 per petition.
    tallies = (
        CountryTally.objects.filter(petition__in=petitions, signature_count__gt=0)
        .order_by("petition_id", "-signature_count", "country")
        .only("petition_id", "country", "signature_count")
    )
    by_petition = {
        petition_id: list(group)
        for petition_id, group in groupby(tallies, key=lambda tally: tally.petition_id)
    }
    tables = []
    for petition in petitions:
        rows = by_petition.get(petition.pk, [])
        total = sum(tally.signature_count for tally in rows)
        table = Countries(petition, total=total)
        for tally in rows[:TOP_COUNTRIES]:
            share = round(100 * tally.signature_count / total, 1)
            table.rows.append(CountryRow(tally.country, tally.signature_count, share))
        rest = rows[TOP_COUNTRIES:]
        table.other_countries = len(rest)
        table.other_count = sum(tally.signature_count for tally in rest)
        tables.append(table)
    return tables


def dashboard(request: HttpRequest) -> dict:
    """The admin index's extra context, limited to what this staff member may see."""
    user = request.user
    context = {
        "dashboard_queues": _queues(user),
        "dashboard_progress": [],
        "dashboard_countries": [],
        "dashboard_exports": [],
    }
    if user.has_perm("petitions.view_petition"):
        context["dashboard_progress"] = _progress(timezone.localdate())
        # The petitions table again, open ones first: a handful of rows.
        published = list(Petition.objects.open_first())
        context["dashboard_countries"] = _countries(published)
        if user.has_perm("petitions.export_signatures"):
            context["dashboard_exports"] = [p for p in published if p.takes_signatures]
    return context
