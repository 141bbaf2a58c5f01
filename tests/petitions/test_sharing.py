"""
Sharing a petition: the thank-you page that carries the campaign on (the count, the share
buttons, the QR code, the next asks), the card a shared link shows (Open Graph and Twitter tags
and the share image we draw), and the printable petition sheet.
"""

import io
import logging
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import qrcode
from PIL import Image

from petitions import share_image, sharing
from petitions.models import Petition

pytestmark = pytest.mark.django_db

SITE = "https://petition.example.org"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _thank_you(client, petition: Petition, prefix: str = "") -> str:
    return client.get(f"{prefix}/petitions/{petition.slug}/thank-you/").content.decode()


def _hrefs(html: str) -> dict[str, str]:
    """The share buttons' links by network, unescaped as a browser reads them."""
    return {
        network: href.replace("&amp;", "&")
        for network, href in re.findall(
            r'class="btn share-button share-(\w+)" href="([^"]+)"', html
        )
    }


def _qr_modules(html: str) -> set[tuple[int, int]]:
    """The dark modules the page's QR code draws."""
    path = re.search(r'<svg[^>]*class="qr-code".*?<path fill="#000" d="([^"]+)"', html).group(1)
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)", path)}


def _modules_encoding(data: str) -> set[tuple[int, int]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return {
        (x, y) for y, row in enumerate(code.get_matrix()) for x, dark in enumerate(row) if dark
    }


# --- The thank-you page ----------------------------------------------------------------------


def test_the_thank_you_page_says_which_number_the_signer_is(client, open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=1234)

    html = _thank_you(client, open_petition)

    assert "Thank you — you are one of 1,234 signers" in html
    assert 'role="progressbar"' in html
    assert 'aria-valuemax="500" aria-valuenow="500"' in html


def test_a_signer_not_yet_counted_is_still_one_of_them(client, open_petition):
    html = _thank_you(client, open_petition)

    assert "Thank you — you are one of 1 signer" in html


def test_the_thank_you_page_has_a_share_button_per_network(client, open_petition):
    links = _hrefs(_thank_you(client, open_petition))

    assert list(links) == ["email", "x", "facebook", "telegram", "whatsapp", "line"]


def test_each_share_link_carries_the_petition_address_and_title_encoded(client, open_petition):
    url = f"{SITE}/zh-hant/petitions/free-the-archive/"
    message = "請聯署請願「開放檔案」："

    links = _hrefs(_thank_you(client, open_petition, "/zh-hant"))

    def query(network: str) -> dict[str, list[str]]:
        return parse_qs(urlsplit(links[network]).query)

    assert query("email") == {"subject": ["開放檔案"], "body": [f"{message}\n{url}"]}
    # A mail client reads "+" as a plus sign (RFC 6068): spaces are %20.
    assert "+" not in links["email"]
    english = _hrefs(_thank_you(client, open_petition))["email"]
    assert "+" not in english and "%20" in english
    assert links["x"].startswith("https://x.com/intent/post?")
    assert query("x") == {"text": [message], "url": [url]}
    assert links["facebook"].startswith("https://www.facebook.com/sharer/sharer.php?")
    assert query("facebook") == {"u": [url]}
    assert links["telegram"].startswith("https://t.me/share/url?")
    assert query("telegram") == {"url": [url], "text": [message]}
    assert links["whatsapp"].startswith("https://wa.me/?")
    assert query("whatsapp") == {"text": [f"{message} {url}"]}
    assert links["line"].startswith("https://social-plugins.line.me/lineit/share?")
    assert query("line") == {"url": [url]}


def test_the_buttons_that_need_javascript_are_hidden_until_it_shows_them(client, open_petition):
    html = _thank_you(client, open_petition)

    assert '<li hidden data-copy-link><button type="button"' in html
    assert '<li hidden data-native-share><button type="button"' in html
    assert 'data-copied-label="Link copied"' in html
    assert "/static/js/share.js" in html
    # The address to copy by hand, without a script.
    assert f'value="{SITE}/petitions/free-the-archive/" readonly' in html


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-hans"])
def test_the_qr_code_encodes_the_petition_address_in_the_page_language(
    client, open_petition, prefix
):
    html = _thank_you(client, open_petition, prefix)

    assert _qr_modules(html) == _modules_encoding(f"{SITE}{prefix}/petitions/free-the-archive/")
    label = {"": "QR code of the petition’s address", "/zh-hant": "請願網址的 QR 碼"}
    assert f'role="img" aria-label="{label.get(prefix, "请愿网址的二维码")}"' in html


def test_the_qr_code_is_drawn_by_us(client, open_petition):
    html = _thank_you(client, open_petition)

    images = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in images), images


def test_the_next_asks_lead_to_endorsing_the_archive_and_the_sheet(client, open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(takes_endorsements=True)

    html = _thank_you(client, open_petition)

    assert f'href="/petitions/{open_petition.slug}/endorse/">Endorse as an organisation' in html
    assert 'href="/archive/">Read the archive' in html
    assert f'href="/petitions/{open_petition.slug}/print/">Print a petition sheet' in html


def test_no_endorsing_ask_when_the_petition_takes_no_endorsements(client, open_petition):
    html = _thank_you(client, open_petition)

    assert "Endorse as an organisation" not in html
    assert "Read the archive" in html


# --- Share links and QR code (petitions/sharing.py) ------------------------------------------


def test_a_title_with_quotes_and_ampersands_survives_every_link(open_petition):
    open_petition.title_en = 'Stop "disappearing" lawyers & #activists?'

    links = {link.network: link.url for link in sharing.share_links(open_petition)}

    assert parse_qs(urlsplit(links["x"]).query)["text"] == [
        'Please sign the petition “Stop "disappearing" lawyers & #activists?”:'
    ]
    assert parse_qs(urlsplit(links["email"]).query)["subject"] == [open_petition.title_en]


def test_the_qr_code_svg_scales_and_names_itself():
    svg = sharing.qr_code_svg("https://example.org/p/", 'Code <for> "you"')

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ')
    assert 'aria-label="Code &lt;for&gt; &quot;you&quot;"' in svg
    assert "width=" not in svg.split(">")[0]  # sized by its stylesheet


# --- Open Graph and Twitter cards ------------------------------------------------------------


def test_the_petition_page_names_its_share_image_for_cards(client, open_petition):
    html = client.get(f"/zh-hant/petitions/{open_petition.slug}/").content.decode()
    version = int(open_petition.updated_at.timestamp())
    image = f"{SITE}/zh-hant/petitions/free-the-archive/share-image.png?v={version}"

    assert f'<meta property="og:image" content="{image}">' in html
    assert client.get(image.removeprefix(SITE))["Content-Type"] == "image/png"
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta property="og:image:alt" content="開放檔案">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<meta name="twitter:image" content="{image}">' in html
    assert '<meta name="twitter:image:alt" content="開放檔案">' in html


def test_the_petition_page_links_to_its_printable_sheet(client, open_petition):
    html = client.get(f"/petitions/{open_petition.slug}/").content.decode()

    assert f'<a href="/petitions/{open_petition.slug}/print/">Print a petition sheet</a>' in html


# --- The share image -------------------------------------------------------------------------


def _image(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content))


@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/zh-hans"])
def test_the_share_image_is_a_small_1200_by_630_png(client, open_petition, prefix):
    response = client.get(f"{prefix}/petitions/{open_petition.slug}/share-image.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = _image(response)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert len(response.content) <= 40_000


def test_the_share_image_draws_a_long_chinese_title(client, open_petition):
    title = "要求最高人民檢察院公開「六四」死難者檔案，停止騷擾天安門母親群體及其家屬" * 3
    Petition.objects.filter(pk=open_petition.pk).update(title_zh_hant=title[:200])

    response = client.get(f"/zh-hant/petitions/{open_petition.slug}/share-image.png")

    image = _image(response).convert("RGB")
    assert image.size == (1200, 630)
    # White title text on the accent colour, well down the card.
    title_area = image.crop((80, 200, 1120, 550))
    assert (255, 255, 255) in {colour for _, colour in title_area.getcolors(1_000_000)}
    assert len(response.content) <= 50_000


def test_a_chinese_title_wraps_between_characters_never_before_a_comma():
    font = share_image._font(60, "zh-hant")
    title = (
        "要求最高人民檢察院公開「六四」死難者檔案，停止騷擾天安門母親群體及其家屬，並就屠殺交代"
    )

    lines = share_image.wrap(title, font, 1040)

    assert "".join(lines) == title
    assert len(lines) > 1
    assert all(font.getlength(line) <= 1040 for line in lines)
    assert not any(line[0] in "，。」" or line[-1] == "「" for line in lines)


def test_an_english_title_wraps_between_words():
    font = share_image._font(60, "en")
    title = "Release the Tiananmen Mothers' case files and stop harassing the families"

    lines = share_image.wrap(title, font, 1040)

    assert " ".join(lines) == title
    assert len(lines) > 1


def test_the_share_image_answers_head_and_revalidates_by_etag(client, open_petition):
    url = f"/petitions/{open_petition.slug}/share-image.png"

    head = client.head(url)
    again = client.get(url, headers={"If-None-Match": head["ETag"]})

    assert head.status_code == 200 and head["ETag"]
    assert "public" in head["Cache-Control"] and "max-age=86400" in head["Cache-Control"]
    assert again.status_code == 304


def test_editing_the_petition_draws_a_new_image(client, open_petition):
    url = f"/petitions/{open_petition.slug}/share-image.png"
    before = client.get(url)

    open_petition.title_en = "A new title"
    open_petition.save()
    after = client.get(url, headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


def test_the_share_image_is_drawn_once_then_served_from_the_cache(
    client, open_petition, monkeypatch
):
    drawn = []
    draw = share_image.draw
    monkeypatch.setattr(share_image, "draw", lambda *args: drawn.append(args) or draw(*args))
    url = f"/zh-hans/petitions/{open_petition.slug}/share-image.png"

    first, second = client.get(url), client.get(url)

    assert first.content == second.content
    assert drawn == [("开放档案", "烛光", "zh-hans")]


def test_a_missing_font_draws_the_image_anyway_and_says_so(
    client, open_petition, settings, caplog
):
    settings.SHARE_IMAGE_FONT = "/nonexistent/font.ttc"

    with caplog.at_level(logging.WARNING, logger="petitions.share_image"):
        response = client.get(f"/zh-hant/petitions/{open_petition.slug}/share-image.png")

    assert response.status_code == 200
    assert _image(response).size == (1200, 630)
    assert "Share image font /nonexistent/font.ttc not found" in caplog.text


def test_a_draft_has_no_share_image(client, draft_petition):
    response = client.get(f"/petitions/{draft_petition.slug}/share-image.png")

    assert response.status_code == 404


# --- The printable petition sheet ------------------------------------------------------------


def test_the_sheet_has_the_petition_its_count_and_a_code_to_sign_online(client, open_petition):
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=2048)

    html = client.get(f"/petitions/{open_petition.slug}/print/").content.decode()

    assert '<h1 id="petition-title">Open the archives</h1>' in html
    assert "The State Archives Administration" in html
    assert "Open the archives of June 1989." in html
    assert "We ask for the archives to be opened." in html
    assert re.search(
        r"<strong>2,048</strong> signatures as of <time datetime=\"\d{4}-\d\d-\d\d\">", html
    )
    assert f"Sign online at <strong>{SITE}/petitions/free-the-archive/</strong>" in html
    assert _qr_modules(html) == _modules_encoding(f"{SITE}/petitions/free-the-archive/")
    assert "/static/css/petition-sheet.css" in html


def test_the_sheet_is_laid_out_for_a4_paper():
    from django.contrib.staticfiles import finders

    stylesheet = Path(finders.find("css/petition-sheet.css")).read_text(encoding="utf-8")

    assert "size: A4;" in stylesheet
    assert "@media print" in stylesheet


def test_a_closed_petition_sheet_asks_to_read_rather_than_sign(client, closed_petition):
    html = client.get(f"/zh-hant/petitions/{closed_petition.slug}/print/").content.decode()

    assert "Sign online at" not in html
    assert f"{SITE}/zh-hant/petitions/an-earlier-call/" in html
    assert "<strong>140</strong>" in html
