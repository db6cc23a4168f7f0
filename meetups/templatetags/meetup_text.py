"""The little Markdown the listing page uses, as safe HTML: paragraphs and [text](https://…)
links. Everything else is escaped; only http(s) links become links."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")


def _inline(text: str) -> str:
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f'<a href="{escape(match[2])}">{escape(match[1])}</a>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


@register.filter
def listing_text(text: str) -> str:
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return mark_safe("\n".join(f"<p>{_inline(p)}</p>" for p in paragraphs if p))
