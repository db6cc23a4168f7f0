"""The exported page goes through Jekyll, which runs Liquid over it before Markdown: a
name, description, organizer or intro holding Liquid must come out as text. Checked with a
Liquid implementation (python-liquid): the page parses without error, and rendering it with
every variable, include and filter in reach changes nothing, so no tag or output ran."""

import string

import liquid
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetups.listing import ListedGroup, Listing, parse_listing, render_listing
from meetups.models import DirectoryPage, Meetup
from meetups.services import export_listing, import_listing
from tests import factories

PAYLOADS = [
    "{% if x %}",
    "{% include secrets.txt %}",
    "{%- include footer.html -%}",
    "{{ site.github.token }}",
    "{{- page.path -}}",
    "{%raw%}{%endraw%}",
    "{{{% comment %}",
    "a {% endif %} b {{ x | upcase }}",
    "\\{% if x %}",
    "{\\%%}{ {% {{",
]


def _body(page: str) -> str:
    # Jekyll reads the front matter as YAML and runs Liquid over the rest.
    return page.split("\n---\n", 1)[1] if page.startswith("---\n") else page


def assert_no_liquid_runs(page: str) -> None:
    body = _body(page)
    template = liquid.parse(body)  # raises on a broken or unclosed tag
    rendered = template.render(x=True, site={"github": {"token": "SECRET"}}, page={"path": "P"})
    assert rendered == body


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_liquid_in_every_field_is_text_on_the_exported_page(payload):
    factories.meetup(
        name=f"Group {payload}",
        description=f"Before {payload}.\n\n{payload}\n\nAfter [a link](https://x.example/{payload}).",
        organizers=((f"Ada {payload}", "Co-organizer"), ("Grace", "Co-organizer")),
        url=f"https://example.org/{payload}",
    )
    DirectoryPage.objects.update_or_create(pk=1, defaults={"intro": f"Intro {payload}"})
    before = [(m.name, m.description, m.organizers_line) for m in Meetup.objects.all()]
    page = export_listing()
    assert_no_liquid_runs(page)
    # The round trip still gives back exactly what was stored.
    import_listing(text=page)
    assert [(m.name, m.description, m.organizers_line) for m in Meetup.objects.all()] == before
    assert export_listing() == page


LIQUID_TEXT = string.ascii_letters + " {}%-|." + "\\"


@settings(max_examples=150, deadline=None)
@given(
    name=st.text(alphabet=LIQUID_TEXT, min_size=1, max_size=30).map(str.strip).filter(bool),
    description=st.text(alphabet=LIQUID_TEXT, max_size=60).map(str.strip),
)
def test_no_liquid_runs_whatever_the_text(name, description):
    name = " ".join(name.split())
    listing = Listing(
        front_matter="title: Groups",
        intro=description,
        groups=[ListedGroup(name=name, url="", organizers=[], description=description)],
    )
    page = render_listing(listing)
    assert_no_liquid_runs(page)
    assert parse_listing(page).data() == listing.data()
