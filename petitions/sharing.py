"""
Sharing a petition: the links to share it on each network, and its address as a QR code.

Every share link is a plain link to the network's own share page, built here: no third-party
script or image ever loads on our pages, and the links work without JavaScript. The QR code is
drawn here too (the `qrcode` library, as inline SVG), never fetched from a QR service.
"""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

import qrcode
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from . import emails
from .models import Petition


@dataclass(frozen=True)
class Sharing:
    """What a page needs to offer sharing a petition: its address and the links."""

    url: str
    title: str
    links: list["ShareLink"]
    sheet_url: str  # the printable petition sheet
    image_url: str  # the card picture the networks show (petitions/share_image.py), absolute


@dataclass(frozen=True)
class ShareLink:
    network: str  # a stable name for CSS and tests: "email", "x", "facebook", …
    label: str  # what the button says
    url: str


def _query(parameters: dict[str, str]) -> str:
    # %20 for spaces, never "+": mail clients read a mailto: query by RFC 6068, where "+" is a
    # plus sign, and the networks' share pages accept %20 alike.
    return urlencode(parameters, quote_via=quote)


def petition_url(petition: Petition) -> str:
    """The petition's absolute address in the active language (its path carries the language)."""
    return emails.absolute_url(petition.get_absolute_url())


def for_petition(petition: Petition) -> Sharing:
    return Sharing(
        url=petition_url(petition),
        title=petition.title,
        links=share_links(petition),
        sheet_url=reverse("petitions:petition-sheet", kwargs={"slug": petition.slug}),
        # The networks keep a card's picture by its address: a new one after each edit.
        image_url=emails.absolute_url(
            reverse("petitions:share-image", kwargs={"slug": petition.slug})
            + f"?v={int(petition.updated_at.timestamp())}"
        ),
    )


def petition_qr_code(petition: Petition) -> SafeString:
    """The QR code of the petition's address, for the thank-you page and the printed sheet."""
    return qr_code_svg(petition_url(petition), _("QR code of the petition’s address"))


def share_links(petition: Petition) -> list[ShareLink]:
    """Links to share the petition by mail and on the networks our supporters use."""
    url = petition_url(petition)
    title = petition.title
    message = _("Please sign the petition “%(title)s”:") % {"title": title}
    return [
        ShareLink(
            "email",
            _("Email"),
            "mailto:?" + _query({"subject": title, "body": f"{message}\n{url}"}),
        ),
        ShareLink("x", "X", "https://x.com/intent/post?" + _query({"text": message, "url": url})),
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + _query({"u": url}),
        ),
        ShareLink(
            "telegram",
            "Telegram",
            "https://t.me/share/url?" + _query({"url": url, "text": message}),
        ),
        ShareLink(
            "whatsapp", "WhatsApp", "https://wa.me/?" + _query({"text": f"{message} {url}"})
        ),
        ShareLink(
            "line",
            "LINE",
            "https://social-plugins.line.me/lineit/share?" + _query({"url": url}),
        ),
    ]


def qr_code_svg(data: str, label: str) -> SafeString:
    """
    `data` as a QR code named `label` for screen readers: black on white with its quiet zone,
    one SVG path that scales with its box. Written from the module matrix rather than with
    qrcode's SVG factory, whose XML declaration and namespaced attributes are not valid inside
    an HTML page, and whose sizes are in millimetres. Error correction M: still readable from a
    printed sheet with a crease.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()  # rows of booleans, the quiet zone included
    size = len(matrix)
    path = "".join(
        f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" class="qr-code" '
        'role="img" aria-label="{label}" shape-rendering="crispEdges">'
        '<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>',
        size=size,
        label=label,
        path=path,
    )
