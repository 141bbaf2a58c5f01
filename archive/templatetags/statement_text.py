import re

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

BLANK_LINES = re.compile(r"\n\s*\n")
LIST_ITEM = "- "


@register.filter
def statement_paragraphs(text: str) -> SafeString:
    """
    A statement's stored text as HTML: paragraphs split on blank lines, and a paragraph whose
    every line starts with "- " as a list. Every piece of text is escaped: nothing an editor
    types becomes markup.
    """
    blocks = []
    for block in BLANK_LINES.split(text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith(LIST_ITEM) for line in lines):
            items = format_html_join(
                "", "<li>{}</li>", ((line[len(LIST_ITEM) :],) for line in lines)
            )
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("\n".join(blocks))  # noqa: S308 - built only from escaped pieces above
