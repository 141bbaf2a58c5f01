"""
Progress that reads: the count, a bar that never looks empty once anyone has signed, how many
are still needed (or that the goal is reached), the closing date, and what staff wrote under
"What happens next", in the page's language.
"""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from petitions.models import Petition

pytestmark = pytest.mark.django_db

FILL = re.compile(r'<rect class="petition-progress-fill"[^>]* width="([0-9.]+)%"')


def _page(client, petition: Petition, prefix: str = "") -> str:
    return client.get(f"{prefix}/petitions/{petition.slug}/").content.decode()


def _set(petition: Petition, **fields: object) -> Petition:
    Petition.objects.filter(pk=petition.pk).update(**fields)
    petition.refresh_from_db()
    return petition


def test_twelve_of_ten_thousand_fills_a_visible_sliver_and_says_how_many_are_needed(
    client, open_petition
):
    _set(open_petition, goal=10_000, signature_count=12)

    page = _page(client, open_petition)

    assert float(FILL.search(page).group(1)) == 2.5  # not 0.12 %: that looks like nobody
    assert 'aria-valuemax="10000" aria-valuenow="12"' in page
    assert "<strong data-count>12</strong> signatures of 10,000" in page
    assert "<strong data-remaining>9,988</strong> more signatures to reach the goal." in page


def test_the_bar_is_empty_before_anyone_signs(client, open_petition):
    assert FILL.search(_page(client, open_petition)).group(1) == "0"


def test_above_the_sliver_the_bar_shows_the_real_share(client, open_petition):
    _set(open_petition, goal=500, signature_count=200)

    assert FILL.search(_page(client, open_petition)).group(1) == "40.0"


def test_one_more_is_singular(client, open_petition):
    _set(open_petition, goal=500, signature_count=499)

    assert "<strong data-remaining>1</strong> more signature to reach the goal." in _page(
        client, open_petition
    )


def test_a_reached_goal_says_so_and_points_to_what_happens_next(client, open_petition):
    _set(open_petition, goal=500, signature_count=640, next_steps_en="We deliver it in June.")

    page = _page(client, open_petition)

    assert "more signatures to reach the goal" not in page
    assert "Goal reached!" in page
    assert '<a href="#next-steps">What happens next</a>' in page
    assert FILL.search(page).group(1) == "100.0"
    assert 'aria-valuemax="500" aria-valuenow="500"' in page


def test_the_closing_date_is_a_time_element(client, open_petition):
    closes = datetime(2027, 6, 4, 12, 0, tzinfo=UTC)
    _set(open_petition, closes_at=closes)

    page = _page(client, open_petition)
    chinese = _page(client, open_petition, "/zh-hant")

    assert re.search(r'Signing closes on <time datetime="2027-06-04">June 4, 2027</time>', page)
    assert '<time datetime="2027-06-04">' in chinese
    assert "2027年6月4日</time>" in chinese


def test_a_closed_petition_says_when_it_closed_and_asks_for_nothing_more(client, closed_petition):
    page = _page(client, closed_petition)

    assert "Closed on <time" in page
    assert "to reach the goal" not in page


def test_what_happens_next_is_shown_in_the_page_language(client, open_petition):
    _set(
        open_petition,
        next_steps_en="We deliver the list in Beijing on 4 June.",
        next_steps_zh_hant="我們將於六月四日在北京遞交名單。",
        next_steps_zh_hans="我们将于六月四日在北京递交名单。",
    )

    english = _page(client, open_petition)
    traditional = _page(client, open_petition, "/zh-hant")
    simplified = _page(client, open_petition, "/zh-hans")

    assert 'id="next-steps"' in english
    assert "What happens next" in english
    assert "We deliver the list in Beijing on 4 June." in english
    assert "我們將於六月四日在北京遞交名單。" in traditional
    assert "我们将于六月四日在北京递交名单。" in simplified


def test_no_next_steps_written_means_no_section(client, open_petition):
    assert 'id="next-steps"' not in _page(client, open_petition)


def test_the_next_steps_are_escaped(client, open_petition):
    _set(open_petition, next_steps_en="<script>alert(1)</script>")

    page = _page(client, open_petition)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_staff_edit_what_happens_next_in_every_language(admin_client, open_petition):
    page = admin_client.get(f"/admin/petitions/petition/{open_petition.pk}/change/")

    content = page.content.decode()
    for field in ("next_steps_en", "next_steps_zh_hant", "next_steps_zh_hans"):
        assert f'name="{field}"' in content


def test_the_demo_petition_says_what_happens_next_in_three_languages(client):
    call_command("load_demo", stdout=io.StringIO())
    petition = Petition.objects.get(slug="tiananmen-mothers")

    assert petition.next_steps_en and petition.next_steps_zh_hant and petition.next_steps_zh_hans
    assert petition.closes_at is not None
    assert "What happens next" in _page(client, petition)


def test_loading_the_demo_again_keeps_its_closing_date(client):
    call_command("load_demo", stdout=io.StringIO())
    closes_at = Petition.objects.get(slug="tiananmen-mothers").closes_at

    call_command("load_demo", stdout=io.StringIO())

    assert Petition.objects.get(slug="tiananmen-mothers").closes_at == closes_at


def test_the_thank_you_page_can_reuse_the_progress(open_petition):
    """The progress is one include, for the thank-you page as for the petition page."""
    from django.template.loader import render_to_string

    html = render_to_string("petitions/includes/_progress.html", {"petition": open_petition})

    assert 'role="progressbar"' in html
    assert "<strong data-remaining>500</strong> more signatures" in html


def test_the_page_keeps_the_count_the_sign_form_and_the_text_in_reading_order(
    client, open_petition
):
    _set(open_petition, takes_endorsements=True, closes_at=None)

    page = _page(client, open_petition)

    order = [
        page.index('id="petition-title"'),
        page.index('id="signature-count-text"'),
        page.index('id="sign-form"'),
        page.index('id="petition-text-heading"'),
        page.index(f'href="/petitions/{open_petition.slug}/endorse/"'),
    ]
    assert order == sorted(order)
    assert '<a href="#petition-text-heading">Read the full petition</a>' in page


def test_the_goal_in_the_model(open_petition):
    _set(open_petition, goal=100, signature_count=30)

    assert open_petition.signatures_to_goal == 70
    assert open_petition.progress_bar_percent == 30.0
    _set(open_petition, signature_count=130)
    assert open_petition.signatures_to_goal == 0
    assert open_petition.progress_bar_percent == 100.0


def test_an_open_petition_with_a_closing_date_says_when_signing_closes(client, open_petition):
    _set(open_petition, closes_at=open_petition.opens_at + timedelta(days=30))

    assert "Signing closes on" in _page(client, open_petition)
