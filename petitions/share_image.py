"""
The picture a shared link shows (Open Graph and Twitter cards): the petition's title and the
campaign's name on the accent colour, 1200×630, one per petition and language.

Drawn by us with Pillow in Noto Sans CJK (Debian's fonts-noto-cjk, `SHARE_IMAGE_FONT`), so a
Chinese title reads in its own script and no image service ever sees our visitors. Kept as a
palette PNG of a few colours, ~20 KB: the petition page with its share image must weigh at most
100 KB. The bytes are cached per petition, language and `updated_at` (an edit of the title
makes a new image), and served with an ETag.
"""

import hashlib
import io
import logging
import re
import unicodedata
from functools import cache

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from .models import Petition

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
ACCENT = "#8a1c1c"
TEXT = "#ffffff"
QUIET_TEXT = "#f2d6d6"  # the campaign's name: lighter than the title, 7:1 on the accent
# Changing the drawing below? Bump this: it is part of the cache key and the ETag.
DRAWING_VERSION = 1
CACHE_SECONDS = 30 * 24 * 60 * 60
# The face of Noto Sans CJK's collection whose glyph shapes each language expects (the .ttc
# holds JP, KR, SC, TC, HK in this order); Latin letters are the same in all of them.
FACE_INDEX = {"en": 2, "zh-hant": 3, "zh-hans": 2}
# Title sizes tried in turn until the title fits; at the smallest it is cut with an ellipsis.
TITLE_SIZES = (76, 68, 60, 52, 46)
NAME_SIZE = 34
LINE_SPACING = 1.3

# A title breaks between words, and anywhere between two CJK characters; these never start a
# line (closing punctuation) or end one (opening punctuation).
NO_LINE_START = set("，。、；：？！」』）》〉】,.;:?!)]}…％%")
NO_LINE_END = set("「『（《〈【([{")
WORD_OR_CHARACTER = re.compile(r"\s+|[^\s]")


def _is_wide(character: str) -> bool:
    """A character that may stand alone on either side of a line break (CJK, kana, hangul)."""
    return unicodedata.east_asian_width(character) in ("W", "F")


def _pieces(text: str) -> list[tuple[str, bool]]:
    """
    The title as unbreakable pieces, each with whether a space comes before it: a Latin word, or
    one CJK character, with the punctuation that may not be parted from it.
    """
    pieces: list[tuple[str, bool]] = []
    space_before = False
    glue_next = False
    for match in WORD_OR_CHARACTER.finditer(text):
        character = match.group()
        if character.isspace():
            space_before, glue_next = True, False
            continue
        joins_previous = (
            pieces
            and not space_before
            and (
                glue_next
                or character in NO_LINE_START
                or not (_is_wide(character) or _is_wide(pieces[-1][0][-1]))
            )
        )
        if joins_previous:
            pieces[-1] = (pieces[-1][0] + character, pieces[-1][1])
        else:
            pieces.append((character, space_before))
        glue_next = character in NO_LINE_END
        space_before = False
    return pieces


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """`text` in lines no wider than `width` (a word wider than a line is left whole)."""
    lines: list[str] = []
    line = ""
    for piece, space_before in _pieces(text):
        candidate = f"{line}{' ' if space_before and line else ''}{piece}"
        if not line or font.getlength(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = piece
    if line:
        lines.append(line)
    return lines


def _font(size: int, language: str) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return _load_font(settings.SHARE_IMAGE_FONT, size, FACE_INDEX.get(language, 0))


@cache
def _load_font(path: str, size: int, face: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """
    The font at `path` (its `face` in a collection), or, when it is missing, Pillow's own: Latin
    only (a Chinese title shows as boxes), but the card is drawn and nothing fails for a font.
    """
    for index in (face, 0):
        try:
            return ImageFont.truetype(path, size, index=index)
        except OSError:
            continue
    logger.warning("Share image font %s not found; drawing with Pillow's default font", path)
    return ImageFont.load_default(size)


def _title_lines(title: str, language: str) -> tuple[list[str], ImageFont.FreeTypeFont, int]:
    """The title wrapped at the largest size that fits, with that font and its line height."""
    room = HEIGHT - 2 * MARGIN - 2 * NAME_SIZE * LINE_SPACING
    for size in TITLE_SIZES:
        font = _font(size, language)
        line_height = round(size * LINE_SPACING)
        lines = wrap(title, font, WIDTH - 2 * MARGIN)
        if len(lines) * line_height <= room:
            return lines, font, line_height
    fitting = int(room // line_height)
    lines = lines[:fitting]
    while lines[-1] and font.getlength(lines[-1] + "…") > WIDTH - 2 * MARGIN:
        lines[-1] = lines[-1][:-1]
    lines[-1] = lines[-1].rstrip() + "…"
    return lines, font, line_height


def draw(title: str, campaign: str, language: str) -> bytes:
    """The card as PNG bytes: the campaign's name above, the title below it, left-aligned."""
    image = Image.new("RGB", (WIDTH, HEIGHT), ACCENT)
    canvas = ImageDraw.Draw(image)
    name_font = _font(NAME_SIZE, language)
    canvas.text((MARGIN, MARGIN), campaign, font=name_font, fill=QUIET_TEXT)
    rule_y = MARGIN + round(NAME_SIZE * LINE_SPACING) + 12
    canvas.rectangle((MARGIN, rule_y, MARGIN + 96, rule_y + 5), fill=QUIET_TEXT)
    lines, font, line_height = _title_lines(title, language)
    top = rule_y + 5 + (HEIGHT - MARGIN - rule_y - 5 - len(lines) * line_height) // 2
    for number, line in enumerate(lines):
        canvas.text((MARGIN, top + number * line_height), line, font=font, fill=TEXT)
    # Anti-aliased text on one colour needs few shades: 16 keep the edges smooth and the file
    # a fifth of a full-colour one.
    palette = image.quantize(colors=16, method=Image.Quantize.MEDIANCUT)
    output = io.BytesIO()
    palette.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _version(petition: Petition, language: str) -> str:
    return f"{DRAWING_VERSION}:{petition.pk}:{language}:{petition.updated_at.isoformat()}"


def etag(petition: Petition, language: str) -> str:
    """Changes whenever the image would: an edit of the petition, or a new way of drawing."""
    return '"' + hashlib.sha256(_version(petition, language).encode()).hexdigest()[:32] + '"'


def png(petition: Petition, language: str) -> bytes:
    """The petition's share image in `language`, from the shared cache when drawn already."""
    key = f"share-image:{_version(petition, language)}"
    image = shared_cache.get(key)
    if image is None:
        with translation.override(language):
            image = draw(petition.title, _("Candlelight"), language)
        shared_cache.set(key, image, CACHE_SECONDS)
    return image
