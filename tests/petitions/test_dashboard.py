"""
The admin front page answers "how are we doing": the queues with their counts, each open
petition's figures today, this week and in all, a chart of the last 30 days with the table
behind it, and every petition's countries; all from the kept tallies.
"""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from petitions.counting import count_signatures
from petitions.dashboard import DAYS, Progress, chart
from petitions.models import CountryTally, Petition
from tests.archive.html_validation import html_errors

from .conftest import make_signature
from .endorsement_helpers import make_endorsement

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    """The page's HTML with runs of white space as one space, for matching rows."""
    return re.sub(r"\s+", " ", response.content.decode())


def _confirmed(petition: Petition, days_ago: int, how_many: int, country: str = "GB") -> None:
    when = timezone.now() - timedelta(days=days_ago)
    for _ in range(how_many):
        make_signature(petition, status="confirmed", confirmed_at=when, country=country)


def _days(*counts: int) -> list[tuple[date, int]]:
    """DAYS days ending today: the counts given are the last days', the rest 0."""
    today = timezone.localdate()
    padded = [0] * (DAYS - len(counts)) + list(counts)
    return [(today - timedelta(days=DAYS - 1 - i), count) for i, count in enumerate(padded)]


def test_the_queues_come_first_with_their_counts_and_links(moderator_client, open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)
    make_endorsement(open_petition, status="awaiting")
    make_signature(open_petition, status="suspected")
    make_signature(open_petition, status="suspected")
    make_signature(open_petition, comment="Please approve me")

    page = _text(moderator_client.get(reverse("admin:index")))

    queues = page.split('class="dashboard-queues"')[1].split("</section>")[0]
    assert page.index("dashboard-queues") < page.index("dashboard-progress")
    changelist = reverse("admin:petitions_signature_changelist")
    endorsements = reverse("admin:petitions_endorsement_changelist")
    for link, count, label in [
        (f"{changelist}?queue=suspected", 2, "Suspected signatures"),
        (f"{changelist}?queue=comments", 1, "Comments awaiting moderation"),
        (f"{endorsements}?queue=awaiting", 1, "Endorsements awaiting approval"),
    ]:
        assert re.search(
            rf'href="{re.escape(link)}"><span class="dashboard-card-count">{count}</span> '
            rf'<span class="dashboard-card-label">{label}</span>',
            queues,
        ), label


def test_each_open_petition_shows_today_the_week_its_change_and_its_total(
    manager_client, open_petition, closed_petition
):
    _confirmed(open_petition, 0, 2)  # today
    _confirmed(open_petition, 1, 3)
    _confirmed(open_petition, 6, 4)  # the last of the last 7 days
    _confirmed(open_petition, 7, 5)  # the first of the 7 days before
    _confirmed(open_petition, 13, 1)
    _confirmed(open_petition, 20, 6)  # in the chart, in neither week
    _confirmed(open_petition, 45, 7)  # before the chart, in the total only
    count_signatures()

    page = _text(manager_client.get(reverse("admin:index")))

    progress = page.split('class="module dashboard-progress"')[1].split("</table>")[0]
    assert re.search(
        r'<th scope="row"><a href="#petition-free-the-archive">Open the archives</a></th> '
        r'<td class="dashboard-count">2</td> <td class="dashboard-count">9</td> '
        r'<td class="dashboard-count dashboard-change">\+3 \(\+50%\)</td> '
        r'<td class="dashboard-count">28</td>',
        progress,
    )
    assert "An earlier call" not in progress  # closed: no longer "how are we doing"


def test_the_change_week_on_week_says_a_fall_and_a_first_week():
    petition = Petition(signature_count=0)

    falling = Progress(petition, _days(*[0] * 3, 10, 0, 0, 0, 0, 0, 0, 1, 2, 3))
    first_week = Progress(petition, _days(4, 0, 0))
    steady = Progress(petition, _days(1, 0, 0, 0, 0, 0, 0, 1))

    assert (falling.last_7_days, falling.previous_7_days) == (6, 10)
    assert (falling.change_sign, falling.change_size, falling.change_percent_size) == ("−", 4, 40)
    assert (first_week.change, first_week.change_percent) == (4, None)
    assert (steady.change_sign, steady.change, steady.change_percent) == ("", 0, 0)


def test_the_chart_has_a_title_axes_with_values_and_a_table_behind_it(
    manager_client, open_petition
):
    _confirmed(open_petition, 0, 2)
    _confirmed(open_petition, 3, 11)
    count_signatures()
    today, busiest = timezone.localdate(), timezone.localdate() - timedelta(days=3)

    page = _text(manager_client.get(reverse("admin:index")))

    svg = page.split('<svg class="dashboard-chart"')[1].split("</svg>")[0]
    assert (
        'role="img" aria-labelledby="chart-free-the-archive-title chart-free-the-archive-desc"'
        in svg
    )
    assert re.search(
        r'<title id="chart-free-the-archive-title">Confirmed signatures per day, ', svg
    )
    assert '<desc id="chart-free-the-archive-desc">13 in these 30 days, 2 of them today.' in svg
    assert svg.count('<rect class="chart-bar"') == DAYS
    # The y axis runs 0, 5, 10, 15 (a round step above the busiest day), each value printed.
    ticks = re.findall(r'<text class="chart-tick" x="58" y="[\d.]+"[^>]*>([\d,]+)</text>', svg)
    assert ticks == ["0", "5", "10", "15"]
    # The x axis names every seventh day, ending with today.
    days = re.findall(r'text-anchor="(?:middle|end)">(\w+ \d+)</text>', svg)
    assert days[-1] == f"{today:%B} {today.day}"
    assert len(days) == 5
    assert ">Day of confirmation</text>" in svg
    assert ">Confirmed signatures</text>" in svg
    # Each bar's value above it.
    assert re.findall(r'<text class="chart-value"[^>]*>(\d+)</text>', svg) == ["11", "2"]
    assert "style=" not in svg

    figures = page.split('<details class="dashboard-figures">')[1].split("</details>")[0]
    assert "<summary>Show the figures as a table</summary>" in figures
    assert figures.count('<th scope="row">') == DAYS
    busiest_day = formats.date_format(busiest, "DATE_FORMAT")
    assert f'<th scope="row">{busiest_day}</th><td class="dashboard-count">11</td>' in figures


def test_bars_stand_on_a_round_scale_above_the_busiest_day():
    today = timezone.localdate()

    drawn = chart([(today - timedelta(days=1), 5), (today, 10)])

    assert [tick.label for tick in drawn.y_ticks] == ["0", "5", "10"]
    assert [bar.y + bar.height for bar in drawn.bars] == [drawn.bottom, drawn.bottom]
    assert drawn.bars[1].y == drawn.top  # 10 reaches the top of the scale
    assert drawn.bars[0].height == drawn.bars[1].height / 2


def test_a_day_without_signatures_draws_no_bar_and_the_scale_still_has_values():
    drawn = chart([(timezone.localdate(), 0)])

    assert drawn.bars[0].height == 0
    assert [tick.label for tick in drawn.y_ticks] == ["0", "1"]


def test_large_figures_print_grouped_on_the_axis_and_leave_the_bars_to_the_table():
    today = timezone.localdate()
    days = [(today - timedelta(days=DAYS - 1 - i), 1234 * i) for i in range(DAYS)]

    drawn = chart(days)

    assert drawn.y_ticks[-1].label == "40,000"
    assert not drawn.shows_values  # five digits do not fit above a bar


def test_every_petition_has_its_countries_open_or_closed(
    manager_client, open_petition, closed_petition
):
    _confirmed(open_petition, 0, 3, country="TW")
    _confirmed(open_petition, 2, 1, country="HK")
    count_signatures()
    # The closed petition's tallies, as the counting job left them: twelve countries.
    codes = ["HK", "TW", "GB", "US", "CA", "AU", "DE", "JP", "MO", "FR", "NL", "SG"]
    CountryTally.objects.bulk_create(
        CountryTally(petition=closed_petition, country=code, signature_count=20 - i)
        for i, code in enumerate(codes)
    )

    page = _text(manager_client.get(reverse("admin:index")))

    countries = page.split('class="dashboard-countries"')[1].split("</section>")[0]
    open_table, closed_table = countries.split("<caption>")[1:]
    assert open_table.startswith("Open the archives</caption>")
    assert re.search(
        r'<th scope="row">Taiwan</th><td class="dashboard-count">3</td>'
        r'<td class="dashboard-count">75.0%</td>',
        open_table,
    )
    assert re.search(r"<th scope=\"row\">All countries</th><td[^>]*>4</td>", open_table)
    assert closed_table.startswith("An earlier call (Closed)</caption>")
    assert closed_table.count('<th scope="row">') == 10 + 2  # the ten largest, the rest, all
    assert re.search(
        r'<th scope="row">Hong Kong</th><td class="dashboard-count">20</td>', closed_table
    )
    assert "Singapore" not in closed_table
    assert re.search(r'<th scope="row">2 other countries</th><td[^>]*>19</td>', closed_table)
    assert re.search(r"<th scope=\"row\">All countries</th><td[^>]*>174</td>", closed_table)
    # The headings: Country, confirmed signatures and share, in their own row.
    assert re.search(
        r'<thead> <tr> <th scope="col">Country</th> <th scope="col" class="dashboard-count">'
        r"Confirmed signatures</th> <th scope=\"col\" class=\"dashboard-count\">Share</th>",
        closed_table,
    )


def test_export_is_offered_to_those_who_may_export(
    manager_client, moderator_client, open_petition
):
    export = reverse("admin:petitions_petition_export", args=[open_petition.slug])

    managers_page = manager_client.get(reverse("admin:index")).content.decode()
    moderators_page = moderator_client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{export}">Export the signatures of “Open the archives”</a>' in managers_page
    assert manager_client.get(export).status_code == 200
    assert "Export signatures" not in moderators_page
    assert export not in moderators_page


def test_the_dashboard_reads_tallies_not_signatures(manager_client, open_petition):
    """At a million signatures the page must not scan them: it only counts its queues."""
    _confirmed(open_petition, 1, 3)
    make_signature(open_petition, status="suspected")
    count_signatures()

    with CaptureQueriesContext(connection) as queries:
        manager_client.get(reverse("admin:index"))
    first = len(queries)
    _confirmed(open_petition, 2, 5, country="TW")
    count_signatures()
    with CaptureQueriesContext(connection) as queries:
        manager_client.get(reverse("admin:index"))

    assert len(queries) == first
    on_signatures = [q["sql"] for q in queries if '"petitions_signature"' in q["sql"]]
    assert on_signatures
    assert all(sql.startswith("SELECT COUNT(*)") for sql in on_signatures), on_signatures


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


@pytest.mark.vnu
def test_the_dashboard_is_valid_html(
    admin_client, moderator_client, open_petition, closed_petition
):
    _confirmed(open_petition, 0, 2, country="TW")
    _confirmed(open_petition, 9, 3)
    count_signatures()

    pages = {
        "superuser": admin_client.get(reverse("admin:index")).content.decode(),
        "moderator": moderator_client.get(reverse("admin:index")).content.decode(),
    }

    assert html_errors(pages) == {}
