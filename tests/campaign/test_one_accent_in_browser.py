"""
One accent colour: no public page shows Bootstrap's blue (buttons, checked boxes, the focus
glow, pagination) beside the campaign's maroon, at rest or with a field in focus.
"""

import pytest
from playwright.sync_api import Page

from tests.public_pages import public_page_paths

pytestmark = pytest.mark.django_db(transaction=True)

# Every colour an element shows, as the browser computed it; those where blue dominates.
BLUE_COLOURS = """() => {
  const properties = ["color", "background-color", "border-top-color", "border-bottom-color",
    "border-left-color", "border-right-color", "outline-color", "box-shadow", "fill"];
  const blue = /rgba?\\((\\d+), (\\d+), (\\d+)/g;
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    const style = getComputedStyle(element);
    for (const property of properties) {
      for (const [, r, g, b] of style.getPropertyValue(property).matchAll(blue)) {
        if (Number(b) - Math.max(Number(r), Number(g)) > 60) {
          found.push(`${element.outerHTML.slice(0, 60)} ${property}: ${r},${g},${b}`);
        }
      }
    }
  }
  return found;
}"""


def test_no_public_page_shows_bootstrap_blue(
    page: Page, live_server, open_petition, closed_petition
):
    for path in public_page_paths(open_petition, closed_petition):
        page.goto(live_server.url + path)
        assert page.evaluate(BLUE_COLOURS) == [], path


def test_a_focused_field_and_button_show_the_ring_not_the_blue_glow(
    page: Page, live_server, open_petition
):
    page.goto(f"{live_server.url}/petitions/{open_petition.slug}/")

    for selector in ("#id_full_name", "#id_country", "#id_show_name_publicly"):
        page.locator(selector).focus()
        assert page.evaluate(BLUE_COLOURS) == [], selector
        ring = page.locator(selector).evaluate(
            "el => [getComputedStyle(el).outlineWidth, getComputedStyle(el).outlineColor]"
        )
        assert ring == ["3px", "rgb(27, 27, 27)"], selector
    page.locator("#id_wants_updates").focus()
    page.keyboard.press("Tab")  # to the privacy link, then the Sign button
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    assert page.evaluate(BLUE_COLOURS) == []
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth") == "3px"
