"""Staff-edited page text to HTML, for every page that shows some (the home page, the
guidelines, the directory's intro).

Blank lines separate paragraphs; a block of one line starting "## " is a heading; a block
whose lines all start "- " is a list; [text](https://…) makes a link. Everything else is
escaped: no HTML from the text is ever trusted, and only http(s) addresses become links."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe


def possessive(name: str) -> str:
    """ "Code4Lib's", but "Practitioners'" (a name ending in s takes the apostrophe alone):
    the one way every page and email makes a name possessive."""
    name = str(name)
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")


def _inline(text: str) -> str:
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f'<a href="{escape(match[2])}">{escape(match[1])}</a>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def render_page_text(text: str) -> str:
    html = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in block.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## ") and len(lines) == 1:
            html.append(f"<h2>{_inline(lines[0][3:].strip())}</h2>")
        elif all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 (built from escaped parts above)
