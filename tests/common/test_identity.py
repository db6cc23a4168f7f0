"""The program's look, defined once in static/css/site.css: its colours keep WCAG AA contrast
(text and badges 4.5:1, the focus ring 3:1), and browsers find its icon at /favicon.ico."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def custom_properties() -> dict[str, str]:
    """The --mp-* colours declared in the stylesheet's :root block."""
    root = re.search(r":root\s*\{(.*?)\n\}", SITE_CSS.read_text(encoding="utf-8"), re.S).group(1)
    return dict(re.findall(r"(--mp-[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", root))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


WHITE = "#ffffff"


@pytest.mark.parametrize(
    ("text", "background", "minimum"),
    [
        # Links, buttons' labels and the brand name on white; white on brand buttons.
        ("--mp-brand", WHITE, 4.5),
        (WHITE, "--mp-brand", 4.5),
        ("--mp-brand-dark", WHITE, 4.5),
        (WHITE, "--mp-brand-dark", 4.5),
        # Body and secondary text on white and on the tinted footer and current step.
        ("--mp-ink", WHITE, 4.5),
        ("--mp-muted", WHITE, 4.5),
        ("--mp-ink", "--mp-brand-tint", 4.5),
        ("--mp-brand", "--mp-brand-tint", 4.5),
        # Error messages and the error summary's links, on white.
        ("--mp-badge-danger-bg", WHITE, 4.5),
        # Every state badge.
        ("--mp-badge-neutral-fg", "--mp-badge-neutral-bg", 4.5),
        ("--mp-badge-info-fg", "--mp-badge-info-bg", 4.5),
        ("--mp-badge-success-fg", "--mp-badge-success-bg", 4.5),
        ("--mp-badge-warning-fg", "--mp-badge-warning-bg", 4.5),
        ("--mp-badge-danger-fg", "--mp-badge-danger-bg", 4.5),
        # The focus ring against the page, the tinted footer and its own white halo.
        ("--mp-focus", WHITE, 3),
        ("--mp-focus", "--mp-brand-tint", 3),
        ("--mp-focus", "--mp-focus-halo", 3),
    ],
)
def test_identity_colours_meet_aa(text, background, minimum):
    colours = custom_properties()
    fg = colours[text] if text.startswith("--") else text
    bg = colours[background] if background.startswith("--") else background
    assert contrast(fg, bg) >= minimum, f"{text} on {background}: {contrast(fg, bg):.2f}:1"


def test_bootstrap_primary_and_links_take_the_brand():
    css = SITE_CSS.read_text(encoding="utf-8")
    for prop in ("--bs-primary", "--bs-link-color", "--bs-btn-bg"):
        assert re.search(rf"{prop}:\s*var\(--mp-brand\)", css), prop


def test_favicon_ico_answers_with_an_image(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert "max-age=2592000" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_every_page_names_its_icons(client):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in html
    assert 'rel="icon" href="/favicon.ico"' in html
    assert finders.find("favicon.svg")
