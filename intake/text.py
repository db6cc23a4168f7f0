"""Staff-edited page text to HTML: blank lines separate paragraphs, "## " starts a heading,
"- " a list item. Everything is escaped; no HTML from the text is ever trusted."""

from django.utils.html import escape
from django.utils.safestring import mark_safe


def render_page_text(text: str) -> str:
    html = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in block.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## ") and len(lines) == 1:
            html.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
        elif all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{escape(line.lstrip()[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("\n".join(html))
