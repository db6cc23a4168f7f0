"""Each section of the report drawn as an SVG picture with pygal (server-side; no script is
needed to read it). The pictures are served as images (reports.views.chart), each with its
figures as a table and a sentence on the page. Two sizes: wide, and narrow for phones, so
the words stay readable when the picture is scaled to the screen."""

import re
import xml.etree.ElementTree as ET

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from .measures import SUPPRESSED, WITHHELD

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
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
        font_family=FONT,
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


# Text widths are estimated generously (system fonts are narrower), per character of the
# font's size, so that what fits here fits in every browser.
CHAR_WIDTH = 0.62
LEGEND_BOX = 17 + 6  # pygal's colour box and the gap after it, and a little air
SMALLEST_LEGEND_FONT = 11
MARGIN = 12
STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _whole_steps(series: list[tuple[str, list]]) -> list[int]:
    """The value axis in whole numbers (no "0.1 proposals"), about five steps to the top."""
    numbers = [v for _name, values in series for v in values if isinstance(v, (int, float))]
    highest = max([*numbers, 1])
    step = next((s for s in STEPS if highest / s <= 5), STEPS[-1])
    top = -(-int(highest + 0.999) // step) * step
    return list(range(0, top + 1, step))


def _legend_layout(names: list[str], *, size: str, plot_width: float) -> tuple[int, int]:
    """(columns, font size) for a legend under a plot `plot_width` wide: as many columns as
    fit the longest name whole, else one column in a font small enough, never clipped."""
    font = _style(size).legend_font_size
    longest = max(names, key=len, default="")
    for columns in range(len(names), 1, -1):
        if _text_width(longest, font) + LEGEND_BOX <= plot_width / columns:
            return columns, font
    while font > SMALLEST_LEGEND_FONT and _text_width(longest, font) + LEGEND_BOX > plot_width:
        font -= 1
    return 1, font


def _chart(*, size: str, steps: list[int], columns: int, legend_font: int):
    width, height = SIZES[size]
    style = _style(size)
    style.legend_font_size = legend_font
    return pygal.Bar(
        width=width,
        height=height,
        style=style,
        js=[],
        css=["file://style.css", "file://graph.css"],
        # At phone width the figures of neighbouring bars ran together ("100100100"): the
        # table under the chart has them.
        print_values=size != "narrow",
        print_zeroes=True,
        print_values_position="top",
        legend_at_bottom=True,
        legend_at_bottom_columns=columns,
        legend_box_size=12,
        show_y_guides=True,
        y_labels=steps,
        range=(0, steps[-1]),
        truncate_legend=-1,
        no_data_text="",
        margin=MARGIN,
        spacing=8,
        title=None,
        x_label_rotation=0,
        explicit_size=False,
        no_prefix=True,
    )


def render(
    *,
    title: str,
    x_labels: list[str],
    series: list[tuple[str, list]],
    size: str,
    reference: tuple[str, float] | None = None,
) -> bytes:
    """An SVG bar chart of `series` [(name, values)] over `x_labels`: every value printed on
    its bar (a hidden one upright, so long words never run into the next bar's figure), the
    value axis in whole steps, and a legend whose every name shows whole. No script, no
    outside file. `reference` (words, value) is drawn as a dashed line across the plot.
    Hidden figures' bars are hatched."""
    names = [name for name, _values in series]
    steps = _whole_steps(series + ([("", [reference[1]])] if reference else []))
    width, _height = SIZES[size]
    # The plot starts after the value axis' labels: measure it on a first drawing.
    plot_left = MARGIN + _text_width(str(steps[-1]), _style(size).label_font_size) + 10
    columns, font = _legend_layout(names, size=size, plot_width=width - plot_left - MARGIN)
    chart = _chart(size=size, steps=steps, columns=columns, legend_font=font)
    chart.x_labels = x_labels
    for name, values in series:
        chart.add(name, [_value(v) for v in values])
    return _clean(
        chart.render(),
        title=title,
        value_font=_style(size).value_font_size,
        legend_font=font,
        reference=reference,
    )


def _translate(element) -> tuple[float, float]:
    match = re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", element.get("transform") or "")
    return (float(match[1]), float(match[2])) if match else (0.0, 0.0)


def _fit_legend(root, *, legend_font: float) -> None:
    """The picture made tall enough for its legend's last row: pygal leaves room for too
    few rows when the names do not fill the last one (three names in two columns)."""
    _x, top = 0.0, 0.0
    bottom = 0.0
    for group in root.iter(f"{{{SVG}}}g"):
        if group.get("class") == "legends":
            _x, top = _translate(group)
            ys = [float(t.get("y")) for t in group.iter(f"{{{SVG}}}text")]
            bottom = top + max(ys, default=0) + legend_font * 0.3 + MARGIN
    x0, y0, width, height = (float(v) for v in root.get("viewBox").split())
    if bottom > height:
        root.set("viewBox", f"{x0:g} {y0:g} {width:g} {bottom:.0f}")
        for rect in root.iter(f"{{{SVG}}}rect"):
            if rect.get("class") == "background" and float(rect.get("height", 0)) == height:
                rect.set("height", f"{bottom:.0f}")


HATCH_ID = "hidden-hatch-{}"


def _hatch_hidden_bars(root) -> bool:
    """A hidden figure drawn as a pale band in its series' colour, hatched, the plot's full
    height: it shows that a figure is there and hidden, and no height that could be read as
    its value. Returns whether there was one (the key then says what the bands mean)."""
    plot = _plot(root)
    if plot is None:
        return False
    height = plot.find(f"{{{SVG}}}rect").get("height")
    used = set()
    for series in plot.iter(f"{{{SVG}}}g"):
        classes = (series.get("class") or "").split()
        if "series" not in classes:
            continue
        index = next(int(c.split("-")[1]) for c in classes if c.startswith("serie-"))
        colour = COLOURS[index % len(COLOURS)]
        for bar in series.iter(f"{{{SVG}}}g"):
            if bar.get("class") != "bar":
                continue
            rect = bar.find(f"{{{SVG}}}rect")
            value = next(
                (d.text for d in bar.findall(f"{{{SVG}}}desc") if d.get("class") == "value"),
                None,
            )
            if rect is None or value not in (SUPPRESSED, WITHHELD):
                continue
            rect.set("y", "0")
            rect.set("height", height)
            rect.set("style", f"fill:url(#{HATCH_ID.format(index)});stroke:{colour};stroke-width:1")
            used.add((index, colour))
    if not used:
        return False
    defs = ET.Element(f"{{{SVG}}}defs")
    for index, colour in sorted(used):
        _hatch_pattern(defs, HATCH_ID.format(index), colour)
    _hatch_pattern(defs, HATCH_ID.format("key"), "#4d5b61")
    root.insert(0, defs)
    return True


def _hatch_pattern(defs, pattern_id: str, colour: str) -> None:
    pattern = ET.SubElement(
        defs,
        f"{{{SVG}}}pattern",
        id=pattern_id,
        width="8",
        height="8",
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    ET.SubElement(pattern, f"{{{SVG}}}rect", width="8", height="8", fill="#ffffff")
    line = ET.SubElement(pattern, f"{{{SVG}}}line", x1="0", y1="0", x2="0", y2="8", stroke=colour)
    line.set("stroke-width", "3")
    line.set("stroke-opacity", "0.35")


def _plot(root):
    return next(
        (g for g in root.iter(f"{{{SVG}}}g") if (g.get("class") or "").split() == ["plot"]),
        None,
    )


def _wrap(text: str, *, font: float, width: float) -> list[str]:
    """`text` in lines no wider than `width` (by the generous estimate)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and _text_width(candidate, font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _key(root, *, entries: list[tuple[str, str]], font: float) -> None:
    """Rows under the legend, each a swatch and its words (wrapped to the picture): what the
    dashed line and the hatched bands mean. The picture grows to hold them."""
    x0, y0, width, height = (float(v) for v in root.get("viewBox").split())
    group = ET.SubElement(root, f"{{{SVG}}}g")
    group.set("class", "key")
    y = height
    line_height = font * 1.3
    for kind, words in entries:
        lines = _wrap(words, font=font, width=width - 2 * MARGIN - LEGEND_BOX)
        top = y + 4
        if kind == "reference":
            swatch = ET.SubElement(
                group, f"{{{SVG}}}path", d=f"M{MARGIN} {top + font * 0.6:.1f} h16"
            )
            swatch.set("style", "stroke:#a52834;stroke-width:2;stroke-dasharray:5 3;fill:none")
        else:
            swatch = ET.SubElement(
                group,
                f"{{{SVG}}}rect",
                x=str(MARGIN),
                y=f"{top:.1f}",
                width="16",
                height=f"{font:.0f}",
            )
            swatch.set(
                "style", f"fill:url(#{HATCH_ID.format('key')});stroke:#4d5b61;stroke-width:1"
            )
        for n, text in enumerate(lines):
            element = ET.SubElement(
                group,
                f"{{{SVG}}}text",
                x=f"{MARGIN + LEGEND_BOX:.1f}",
                y=f"{top + font * 0.9 + n * line_height:.1f}",
            )
            element.set("class", f"{kind}-label")
            element.set("style", f"fill:#1d2a30;font-family:{FONT};font-size:{font:g}px")
            element.text = text
        y = top + len(lines) * line_height + 4
    bottom = y + MARGIN / 2
    root.set("viewBox", f"{x0:g} {y0:g} {width:g} {bottom:.0f}")
    for rect in root.iter(f"{{{SVG}}}rect"):
        if rect.get("class") == "background" and float(rect.get("height", 0)) == height:
            rect.set("height", f"{bottom:.0f}")


def _reference_line(root, *, reference: tuple[str, float], value_font: float) -> None:
    """A dashed line across the plot at `reference`'s value, with its words above it."""
    label, value = reference
    plot = next(
        (g for g in root.iter(f"{{{SVG}}}g") if (g.get("class") or "").split() == ["plot"]),
        None,
    )
    if plot is None:
        return
    ticks = []
    for guide in plot.iter(f"{{{SVG}}}g"):
        if guide.get("class") != "guides":
            continue
        text = guide.find(f"{{{SVG}}}text")
        path = guide.find(f"{{{SVG}}}path")
        if text is None or path is None or not (text.text or "").isdigit():
            continue
        ticks.append((float(text.text), float(path.get("d").split()[1])))
    if len(ticks) < 2:
        return
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]
    y = y0 + (value - v0) * (y1 - y0) / (v1 - v0)
    width = float(plot.find(f"{{{SVG}}}rect").get("width"))
    line = ET.SubElement(plot, f"{{{SVG}}}path", d=f"M0 {y:.2f} h{width:.2f}")
    line.set("class", "reference-line")
    line.set("style", "stroke:#a52834;stroke-width:2;stroke-dasharray:8 4;fill:none")
    title = ET.SubElement(line, f"{{{SVG}}}title")
    title.text = label  # its words are in the key under the legend


def _clean(
    svg: bytes,
    *,
    title: str,
    value_font: float,
    legend_font: float,
    reference: tuple[str, float] | None = None,
) -> bytes:
    """Without pygal's script elements and comments, titled for assistive technology; a
    hidden figure's words written upright from the axis, so they take one letter's width;
    the legend's last row inside the picture."""
    root = ET.fromstring(svg)
    _fit_legend(root, legend_font=legend_font)
    hatched = _hatch_hidden_bars(root)
    entries = []
    if reference is not None:
        _reference_line(root, reference=reference, value_font=value_font)
        entries.append(("reference", reference[0]))
    if hatched:
        entries.append(
            (
                "hidden",
                _("Hatched: hidden figure (fewer than 5, or withheld); its band is not a value."),
            )
        )
    if entries:
        _key(root, entries=entries, font=legend_font)
    for text in root.iter(f"{{{SVG}}}text"):
        if "value" in (text.get("class") or "").split() and text.text in (SUPPRESSED, WITHHELD):
            x, y = float(text.get("x")), float(text.get("y"))
            x += value_font * 0.35  # centred on the bar
            text.set("x", f"{x:.2f}")
            text.set("text-anchor", "start")
            text.set("transform", f"rotate(-90 {x:.2f} {y:.2f})")
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
