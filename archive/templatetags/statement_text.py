import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

BLANK_LINES = re.compile(r"\n\s*\n")
LIST_ITEM = "- "
LINE_BREAK = SafeString("<br>")


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
            blocks.append(format_html("<ul>{}</ul>", items))
        else:
            lines_html = format_html_join(LINE_BREAK, "{}", ((line,) for line in lines))
            blocks.append(format_html("<p>{}</p>", lines_html))
    # Each block is already safe HTML built by format_html; the join only adds newlines.
    return format_html_join("\n", "{}", ((block,) for block in blocks))
