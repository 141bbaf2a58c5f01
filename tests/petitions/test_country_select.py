"""Every country select on the public site: the likely countries first, the rest in the reader's
collation order, and a placeholder in words."""

import re

import icu
import pytest
from django.utils.translation import to_locale

from tests.public_pages import public_page_paths

pytestmark = pytest.mark.django_db

PRIORITY_IN_EACH_LANGUAGE = {
    "en": ["Hong Kong", "Taiwan", "China", "Macao"],
    "zh-hant": ["香港", "台灣", "中國", "澳門"],
    "zh-hans": ["香港", "台湾", "中国", "澳门"],
}
COUNTRY_SELECT = re.compile(r'<select name="country"[^>]*>(.*?)</select>', re.S)
OPTGROUP = re.compile(r'<optgroup label="([^"]*)">(.*?)</optgroup>', re.S)
OPTION_TEXT = re.compile(r"<option[^>]*>([^<]*)</option>")


def _country_select(html: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """(the first, blank option's text, [(group label, [option texts])])."""
    select = COUNTRY_SELECT.search(html).group(1)
    first_option = OPTION_TEXT.search(select).group(1)
    groups = [(label, OPTION_TEXT.findall(body)) for label, body in OPTGROUP.findall(select)]
    return first_option, groups


@pytest.mark.parametrize(
    ("prefix", "placeholder", "first_after_priority"),
    [
        ("", "Choose a country or region", ["Afghanistan", "Åland Islands", "Albania"]),
        # CLDR's Traditional Chinese order is by stroke count: 也 and 千 have three strokes.
        ("/zh-hant", "請選擇國家或地區", ["也門", "千里達及托巴哥", "土耳其"]),
        # Simplified Chinese is sorted by pinyin: ā'ěrbāníyà, ā'ěrjílìyà, āfùhàn.
        ("/zh-hans", "请选择国家或地区", ["阿尔巴尼亚", "阿尔及利亚", "阿富汗"]),
    ],
)
def test_sign_form_lists_likely_countries_first_then_the_rest_in_the_readers_order(
    client, open_petition, prefix, placeholder, first_after_priority
):
    language = prefix.strip("/") or "en"
    response = client.get(f"{prefix}/petitions/{open_petition.slug}/")

    first_option, groups = _country_select(response.content.decode())
    assert first_option == placeholder
    assert first_option != "---------"
    (_, priority), (_, rest) = groups
    assert priority[:4] == PRIORITY_IN_EACH_LANGUAGE[language]
    assert rest[:3] == first_after_priority
    assert "台灣" not in rest and "Taiwan" not in rest  # listed once, in the first group


def test_priority_countries_come_from_the_setting(client, open_petition, settings):
    settings.PRIORITY_COUNTRIES = ["tw", "jp"]

    response = client.get(f"/petitions/{open_petition.slug}/")

    (_, priority), (_, rest) = _country_select(response.content.decode())[1]
    assert priority == ["Taiwan", "Japan"]
    assert "Hong Kong" in rest and "Japan" not in rest


def test_without_priority_countries_the_list_is_one_sorted_block(client, open_petition, settings):
    settings.PRIORITY_COUNTRIES = []

    html = client.get(f"/petitions/{open_petition.slug}/").content.decode()

    select = COUNTRY_SELECT.search(html).group(1)
    assert "<optgroup" not in select
    assert OPTION_TEXT.findall(select)[1:3] == ["Afghanistan", "Åland Islands"]


def test_every_country_select_on_every_public_page_is_sorted_for_its_language(
    client, open_petition, closed_petition
):
    """The class: any page with a country select, in any language, sorts it for its reader."""
    selects = 0
    for path in public_page_paths(open_petition, closed_petition):
        for prefix in ("", "/zh-hant", "/zh-hans"):
            localised = path if path.startswith(("/zh-", "/admin")) else prefix + path
            html = client.get(localised).content.decode()
            if not COUNTRY_SELECT.search(html):
                continue
            selects += 1
            language = re.search(r'<html lang="([^"]+)"', html).group(1)
            collator = icu.Collator.createInstance(icu.Locale(to_locale(language)))
            first_option, groups = _country_select(html)
            assert first_option != "---------", localised
            (_, priority), (_, rest) = groups
            assert priority[:4] == PRIORITY_IN_EACH_LANGUAGE[language], localised
            assert rest == sorted(rest, key=collator.getSortKey), localised
            assert not set(priority) & set(rest), localised
    assert selects >= 6  # the sign and endorse forms, in three languages
