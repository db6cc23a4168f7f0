"""A first visit stays light (issue 17): every page links one stylesheet, built by `make css`
from the Bootstrap parts the templates use and static/css/site.css; compressed, it stays
under a bound; and a first visit to a public page (compressed HTML, stylesheet, scripts and
icon, as WhiteNoise and the GZip middleware send them) fits its budget."""

import gzip
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from meetups import services as meetup_services
from tests import factories

ROOT = Path(settings.BASE_DIR)
STYLESHEET = ROOT / "static" / "css" / "app.min.css"
KB = 1024
STYLESHEET_BUDGET = 10 * KB  # gzip -9, as WhiteNoise stores it
# /meetups/: its search form and the small script that filters as people type (issue 25).
FIRST_VISIT_BUDGET = {"/propose/": 25 * KB, "/meetups/": 16 * KB}
FIRST_VISIT_DEFAULT = 15 * KB
LISTING = ROOT / "tests" / "meetups" / "data" / "metro-meetups-page.md"


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def test_stylesheet_compressed_stays_under_its_bound():
    size = gzipped_size(STYLESHEET.read_bytes())
    assert size <= STYLESHEET_BUDGET, f"app.min.css is {size:,} bytes gzipped"


@pytest.mark.parametrize("source", ["assets/app.scss", "static/css/site.css"])
def test_stylesheet_was_rebuilt_after_its_sources_changed(source):
    """build.mjs writes each source's digest on the first line: a differing one means the
    source changed since the last `make css`."""
    first_line = STYLESHEET.read_text(encoding="utf-8").splitlines()[0]
    digest = hashlib.sha256((ROOT / source).read_bytes()).hexdigest()[:16]
    recorded = re.search(rf"{re.escape(source.split('/')[-1])} \((\w+)\)", first_line)
    assert recorded, f"no digest of {source} in app.min.css's first line"
    assert recorded.group(1) == digest, f"{source} changed: run `make css`"


@pytest.mark.django_db
def test_every_page_links_the_one_built_stylesheet(client):
    html = client.get("/").content.decode()
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == ["/static/css/app.min.css"]
    assert finders.find("css/app.min.css")


def first_visit_bytes(client, path: str) -> dict[str, int]:
    """What a browser's first visit to `path` transfers, by part: the page as sent to a
    browser accepting gzip, then each stylesheet, script and SVG icon it links, gzipped as
    WhiteNoise serves them."""
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200, path
    assert response["Content-Encoding"] == "gzip", path
    parts = {"html": len(response.content)}
    html = gzip.decompress(response.content).decode()
    for tag in re.findall(r"<(?:link|script)\b[^>]*>", html):
        address = re.search(r'\b(?:href|src)="/static/([^"]+)"', tag)
        wanted = 'rel="stylesheet"' in tag or tag.startswith("<script") or "svg+xml" in tag
        if address and wanted:
            found = finders.find(address.group(1))
            assert found, address.group(1)
            parts[address.group(1)] = gzipped_size(Path(found).read_bytes())
    return parts


@pytest.mark.django_db
def test_first_visit_to_each_public_page_fits_its_budget(client):
    # The council's listing as it is today: eleven groups, as the directory shows them.
    meetup_services.import_listing(text=LISTING.read_text(encoding="utf-8"))
    group = factories.meetup(is_listed=True)
    for path in ("/", "/guidelines/", "/meetups/", f"/meetups/{group.slug}/", "/propose/"):
        parts = first_visit_bytes(client, path)
        assert "css/app.min.css" in parts, path
        budget = FIRST_VISIT_BUDGET.get(path, FIRST_VISIT_DEFAULT)
        assert sum(parts.values()) <= budget, f"{path}: {parts}"
