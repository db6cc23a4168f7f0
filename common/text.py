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
# What no web address holds: a link target with one is shown as text.
NOT_IN_A_TARGET = re.compile(r"[\"'<>`\\{}|^]|&#|[\x00-\x1f\x7f]")


def plain_target(url: str) -> bool:
    """The renderer's own floor for a link target, when no stricter check is given."""
    return not NOT_IN_A_TARGET.search(url)


def _inline(text: str, link_ok) -> str:
    out, last = [], 0
    for match in LINK.finditer(text):
        if not (plain_target(match[2]) and link_ok(match[2])):
            continue  # an unsafe target: the whole "[text](target)" stays text
        out.append(escape(text[last : match.start()]))
        out.append(f'<a href="{escape(match[2])}">{escape(match[1])}</a>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def render_page_text(text: str, *, link_ok=plain_target) -> str:
    """`link_ok(url)` says whether a link's target may be a link (the web-address rules,
    given by the app that has them); a target it refuses is shown as plain text."""
    html = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in block.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## ") and len(lines) == 1:
            html.append(f"<h2>{_inline(lines[0][3:].strip(), link_ok)}</h2>")
        elif all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(
                f"<li>{_inline(line.lstrip()[2:].strip(), link_ok)}</li>" for line in lines
            )
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(
                "<p>" + "<br>".join(_inline(line.strip(), link_ok) for line in lines) + "</p>"
            )
    return mark_safe("\n".join(html))  # noqa: S308 (built from escaped parts above)
