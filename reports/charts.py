"""Each section of the report drawn as an SVG picture with pygal (server-side; no script is
needed to read it). The pictures are served as images (reports.views.chart), each with its
figures as a table and a sentence on the page. Two sizes: wide, and narrow for phones, so
the words stay readable when the picture is scaled to the screen."""

import xml.etree.ElementTree as ET

import pygal
from pygal.style import Style

from .measures import SUPPRESSED, WITHHELD

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)

# The site's colours (static/css/site.css): brand teal first; each distinct in grey too.
COLOURS = ("#0f4c5c", "#c98a00", "#a52834", "#7d8b91", "#3d8fa3")
SIZES = {"wide": (760, 380), "narrow": (400, 440)}


def _style(size: str) -> Style:
    narrow = size == "narrow"
    return Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#1d2a30",
        foreground_strong="#1d2a30",
        foreground_subtle="#4d5b61",
        colors=COLOURS,
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        label_font_size=14 if narrow else 13,
        major_label_font_size=14 if narrow else 13,
        legend_font_size=15 if narrow else 14,
        value_font_size=13 if narrow else 12,
        title_font_size=16,
        opacity=1,
        opacity_hover=1,
        value_colors=("#1d2a30",) * len(COLOURS),
    )


def _value(value):
    """A figure as pygal takes it: a hidden count is drawn as no bar, labelled."""
    if value in (SUPPRESSED, WITHHELD):
        return {"value": 0, "formatter": lambda _v: value}
    return value


def render(*, title: str, x_labels: list[str], series: list[tuple[str, list]], size: str) -> bytes:
    """An SVG bar chart of `series` [(name, values)] over `x_labels`: every value printed on
    its bar, no script, no outside file."""
    width, height = SIZES[size]
    # Long series names get a legend row each on a phone, two a row on a wide screen.
    longest = max((len(name) for name, _values in series), default=0)
    narrow_columns = 1 if longest > 16 else 2
    columns = narrow_columns if size == "narrow" else 2 if longest > 24 else len(series)
    height += 26 * (-(-len(series) // columns) - 1)
    chart = pygal.Bar(
        width=width,
        height=height,
        style=_style(size),
        js=[],
        css=["file://style.css", "file://graph.css"],
        print_values=True,
        print_zeroes=True,
        print_values_position="top",
        legend_at_bottom=True,
        legend_at_bottom_columns=columns,
        show_y_guides=True,
        truncate_legend=-1,
        no_data_text="",
        margin=12,
        spacing=8,
        title=None,
        x_label_rotation=0,
        explicit_size=False,
        no_prefix=True,
    )
    chart.x_labels = x_labels
    for name, values in series:
        chart.add(name, [_value(v) for v in values])
    return _clean(chart.render(), title=title)


def _clean(svg: bytes, *, title: str) -> bytes:
    """Without pygal's script elements and comments, titled for assistive technology."""
    root = ET.fromstring(svg)
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{SVG}}}script", "script"):
                parent.remove(child)
    root.set("role", "img")
    root.set("aria-label", title)
    heading = ET.Element(f"{{{SVG}}}title")
    heading.text = title
    root.insert(0, heading)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
