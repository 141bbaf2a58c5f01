"""
The petition page on a phone and on a desktop, in a real browser: the sign form near the top at
360 px whatever the length of the text, the progress readable, one accent colour, a focus ring
that shows, and no axe-core violation, in all three languages.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from petitions.models import Petition
from tests.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
PREFIXES = ["", "/zh-hant", "/zh-hans"]
# As long as the real petition, and as many endorsements: they used to push the form 2,500 px down.
LONG_TEXT = "\n\n".join(["We ask for the archives of June 1989 to be opened to families."] * 40)
# The accent, as the browser computes it.
ACCENT = "rgb(138, 28, 28)"


@pytest.fixture
def full_petition(open_petition) -> Petition:
    Petition.objects.filter(pk=open_petition.pk).update(
        text_en=LONG_TEXT,
        text_zh_hant=LONG_TEXT,
        text_zh_hans=LONG_TEXT,
        summary_zh_hant="請開放一九八九年六月的檔案。",
        summary_zh_hans="请开放一九八九年六月的档案。",
        takes_endorsements=True,
        goal=10_000,
        signature_count=12,
        closes_at=open_petition.opens_at + timedelta(days=90),
        next_steps_en="We deliver the list in Beijing before 4 June.",
        next_steps_zh_hant="我們將在六月四日之前在北京遞交名單。",
        next_steps_zh_hans="我们将在六月四日之前在北京递交名单。",
    )
    return open_petition


@pytest.mark.parametrize("prefix", PREFIXES)
def test_on_a_phone_the_sign_form_starts_within_the_first_900_pixels(
    page: Page, live_server, full_petition, prefix
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{prefix}/petitions/{full_petition.slug}/")

    form_top = page.locator("#sign-form").bounding_box()["y"]
    assert form_top < 900, f"the sign form starts {form_top:.0f} px down"
    # Before it: the title, the summary and the progress, with a bar that does not look empty.
    assert page.locator("#signature-count-text").bounding_box()["y"] < form_top
    fill = page.locator("[data-progress-fill]").bounding_box()
    track = page.locator("[role=progressbar]").bounding_box()
    assert fill["width"] >= 0.02 * track["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_read_the_full_petition_goes_to_the_text_without_javascript(
    browser, live_server, full_petition
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/petitions/{full_petition.slug}/")

    page.get_by_role("link", name="Read the full petition").click()

    expect(page.locator("#petition-text-heading")).to_be_in_viewport()
    context.close()


@pytest.mark.parametrize("prefix", PREFIXES)
def test_on_a_desktop_the_form_is_beside_the_text(page: Page, live_server, full_petition, prefix):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}{prefix}/petitions/{full_petition.slug}/")

    form = page.locator("#sign-form").bounding_box()
    text = page.locator(".petition-text").bounding_box()
    assert form["x"] > text["x"] + text["width"]
    assert form["y"] < 300
    assert_accessible(page)


def test_one_accent_colour_a_visible_focus_ring_and_regular_weight_text(
    page: Page, live_server, full_petition
):
    page.goto(f"{live_server.url}/petitions/{full_petition.slug}/")

    def style(selector: str, prop: str) -> str:
        return page.eval_on_selector(
            selector, "(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop
        )

    assert style("#sign-form button[type=submit]", "background-color") == ACCENT
    assert style("#petition-text-heading ~ section .btn-outline-primary", "color") == ACCENT
    assert style("[data-progress-fill]", "fill") == ACCENT
    assert style(".lead", "font-weight") == "400"
    page.locator("#id_full_name").focus()
    assert style("#id_full_name", "outline-width") == "3px"
    assert style("#id_full_name", "outline-style") == "solid"
    page.keyboard.press("Shift+Tab")  # to the last link before the form, by keyboard
    focused = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert focused == "3px"


def test_a_date_never_breaks_across_lines(page: Page, live_server, full_petition):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/petitions/{full_petition.slug}/")

    for time in page.locator("time").all():
        assert time.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
        assert time.evaluate("el => el.getClientRects().length") == 1
