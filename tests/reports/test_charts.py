"""The report's pictures stay readable at both sizes: no printed figure overlaps another, the
legend stays inside the picture, and a chart of counts has whole-number steps."""

import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from reports import charts
from reports.measures import SUPPRESSED, WITHHELD

from .history import script

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
YEAR_2025 = "?basis=calendar&year=2025"
# A generous width per character (wider than most system fonts), so a text that fits here
# fits in the browser too.
CHAR = 0.62


def _translate(element) -> tuple[float, float]:
    match = re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", element.get("transform") or "")
    return (float(match[1]), float(match[2])) if match else (0.0, 0.0)


def _font_sizes(root) -> dict[str, float]:
    css = "".join(style.text or "" for style in root.iter(f"{SVG}style"))
    return {
        "legend": float(re.search(r"\.legends \.legend text\{[^}]*font-size:(\d+)px", css)[1]),
        "value": float(re.search(r"text\.value\{[^}]*font-size:(\d+)px", css)[1]),
    }


def _width_of(text: str, size: float) -> float:
    return len(text) * size * CHAR


def _problems(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    width, height = (float(v) for v in root.get("viewBox").split()[2:])
    sizes = _font_sizes(root)
    problems = []
    for legends in root.iter(f"{SVG}g"):
        if legends.get("class") != "legends":
            continue
        dx, dy = _translate(legends)
        for text in legends.iter(f"{SVG}text"):
            right = dx + float(text.get("x")) + _width_of(text.text, sizes["legend"])
            bottom = dy + float(text.get("y")) + 4
            if right > width or bottom > height:
                problems.append(f"legend {text.text!r} clipped ({right:.0f} > {width:.0f})")
    # Printed figures: those on one line must not overlap (rotated ones take a font's width).
    lines = {}
    for text in root.iter(f"{SVG}text"):
        if "value" not in (text.get("class") or "").split() or not text.text:
            continue
        rotated = "rotate" in (text.get("transform") or "")
        half = sizes["value"] / 2 if rotated else _width_of(text.text, sizes["value"]) / 2
        x = float(text.get("x"))
        lines.setdefault(round(float(text.get("y"))), []).append((x - half, x + half, text.text))
    for spans in lines.values():
        spans.sort()
        for (_a, right, first), (left, _b, second) in pairwise(spans):
            if left < right - 0.5:
                problems.append(f"{first!r} and {second!r} overlap")
    return problems


def _y_labels(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    for group in root.iter(f"{SVG}g"):
        if "axis" in (group.get("class") or "").split() and "y" in group.get("class").split():
            return [t.text for t in group.iter(f"{SVG}text")]
    return []


def test_the_reports_pictures_have_no_overlapping_figures_nor_clipped_legends(
    client, monkeypatch, settings
):
    script(monkeypatch, settings)
    for name in ("proposals", "decisions", "replies", "groups", "upkeep", "years"):
        for size in ("wide", "narrow"):
            svg = client.get(f"/report/charts/{name}-{size}.svg" + YEAR_2025).content
            assert _problems(svg) == [], (name, size)
            assert all(label.isdigit() for label in _y_labels(svg)), (name, size)


@pytest.mark.parametrize("size", ["wide", "narrow"])
def test_long_names_and_hidden_figures_fit_the_picture(size):
    series = [
        ("Web addresses found broken by the weekly check", [SUPPRESSED, WITHHELD, 3, 0]),
        ("Web addresses working again after a repair", [WITHHELD, SUPPRESSED, 0, 12]),
        ("Check-ins answered", [SUPPRESSED, 0, SUPPRESSED, 1]),
        ("Check-ins asked", [WITHHELD, 2, 7, SUPPRESSED]),
    ]
    svg = charts.render(title="A test", x_labels=["Q1", "Q2", "Q3", "Q4"], series=series, size=size)
    assert _problems(svg) == []
    assert all(label.isdigit() for label in _y_labels(svg))


def test_hidden_bars_are_hatched_and_the_reply_chart_shows_the_promise(
    client, monkeypatch, settings
):
    script(monkeypatch, settings)
    svg = client.get("/report/charts/proposals-narrow.svg" + YEAR_2025).content
    root = ET.fromstring(svg)
    hatched = [
        bar
        for bar in root.iter(f"{SVG}g")
        if bar.get("class") == "bar"
        and "url(#" in (bar.find(f"{SVG}rect").get("style") or "")
        and float(bar.find(f"{SVG}rect").get("height")) > 0
    ]
    # Q1 declined and withdrawn, Q2 withdrawn (HIDDEN_2025): three hatched bands.
    assert len(hatched) == 3
    assert root.find(f".//{SVG}pattern") is not None
    replies = client.get("/report/charts/replies-wide.svg" + YEAR_2025).content.decode()
    assert 'class="reference-line"' in replies
    assert "Reply promised within about 22 calendar days (15 business days)" in replies
