"""Attacks on the exported listing page (published with Jekyll, whose Markdown passes raw
HTML through) and on its round trip: export, import, export again."""

import pytest
from django.test import Client
from markdown_it import MarkdownIt

from meetups.forms import MeetupForm
from meetups.models import Meetup
from meetups.services import export_listing, import_listing
from tests import factories
from tests.intake.forms_data import form_data

BREAKOUT_URL = "https://ok.test/](javascript:alert(1))"


def rendered(page: str) -> str:
    """The page as a CommonMark renderer with raw HTML allowed shows it (front matter off,
    as Jekyll takes it)."""
    body = page.split("\n---\n", 1)[1] if page.startswith("---\n") else page
    md = MarkdownIt("commonmark", {"html": True})
    # kramdown (Jekyll's default) links whatever address it is given: so does this check.
    md.validateLink = lambda url: True
    return md.render(body)


def directory_state() -> list:
    return [
        (m.name, m.url, m.description, [(o.name, o.role_label) for o in m.organizers.all()])
        for m in Meetup.objects.prefetch_related("organizers").order_by("pk")
    ]


def assert_round_trip():
    before, page = directory_state(), export_listing()
    import_listing(text=page)
    assert directory_state() == before
    assert export_listing() == page
    return page


@pytest.mark.django_db
def test_javascript_link_in_group_name_is_plain_text_in_export():
    factories.meetup(name="[click](javascript:alert(1))")
    html = rendered(assert_round_trip())
    assert 'javascript:alert(1)"' not in html
    assert "<h2>[click](javascript:alert(1))</h2>" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<javascript:alert(1)>",
        "&lt;script&gt; and &#60;b&#62;",
        "`code` *em* __strong__ {: onclick=alert(1)}",
    ],
)
def test_html_and_markdown_in_description_are_escaped_in_export(payload):
    factories.meetup(name="Escaped Group", description=f"Before.\n\n{payload}\n\nAfter.")
    html = rendered(assert_round_trip())
    for tag in ("<script", "<img", "<code", "<em", "<strong", 'javascript:alert(1)"'):
        assert tag not in html
    assert "<a " not in html or 'href="https://www.meetup.com/' in html


@pytest.mark.django_db
def test_description_keeps_its_https_links_as_links():
    factories.meetup(
        name="Linked Group", description="See [our notes](https://notes.example/a_b) first."
    )
    html = rendered(assert_round_trip())
    assert '<a href="https://notes.example/a_b">our notes</a>' in html


@pytest.mark.django_db
def test_link_breakout_url_is_refused_by_the_public_form():
    response = Client().post("/propose/", form_data(existing_url=BREAKOUT_URL))
    assert response.status_code == 200
    assert "cannot be part of one" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        BREAKOUT_URL,
        "https://ok.test/a b",
        'https://ok.test/"x',
        "https://ok.test/<x>",
        "https://ok.test/a)b",
        "ftp://ok.test/",
        "javascript:alert(1)",
    ],
)
def test_link_breakout_url_is_refused_by_the_managers_edit_form(url):
    group = factories.meetup(name="Edited Group")
    form = MeetupForm(data={"name": "Edited Group", "url": url, "description": ""}, instance=group)
    assert not form.is_valid()
    assert "url" in form.errors


@pytest.mark.django_db
def test_a_non_ascii_address_is_kept_as_the_same_address_in_ascii():
    group = factories.meetup(name="Edited Group")
    form = MeetupForm(
        data={"name": "Edited Group", "url": "https://bücher.example/ökologie", "description": ""},
        instance=group,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["url"] == "https://xn--bcher-kva.example/%C3%B6kologie"


@pytest.mark.django_db
def test_stored_link_breakout_url_is_percent_encoded_in_export():
    # Stored before the forms refused it (or through the admin of an older version).
    factories.meetup(name="Old Group", url=BREAKOUT_URL)
    page = export_listing()
    html = rendered(page)
    assert 'href="javascript' not in html
    assert 'href="https://ok.test/%5D(javascript:alert(1))"' in html
    import_listing(text=page)  # importable
    assert Meetup.objects.get().url == "https://ok.test/%5D(javascript:alert(1))"


@pytest.mark.django_db
def test_non_http_stored_url_is_never_written_as_a_link():
    factories.meetup(name="Old Group", url="javascript:alert(1)")
    html = rendered(export_listing())
    assert "href" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "people",
    [
        [("Smith, John", "Organizer")],
        [("Tom & Jerry", "Organizer"), ("Ann Roe", "Organizer")],
        [("Ann and Bob", "Co-organizer"), ("Cy Dee", "Co-organizer")],
        [("Ann Lee, Organizer", "Convener")],
        [("Semi; Colon", "Organizer"), ("&amp; Literal", "Convener")],
        [("- Listy", "Organizer"), ("1. Numbered", "Organizer")],
    ],
)
def test_organizer_names_with_separators_come_back_as_the_same_people(people):
    factories.meetup(name="People Group", organizers=people)
    assert_round_trip()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Foo ##", "Semi; colon group", "#1 Group", "Back\\slash\\"])
def test_group_names_with_markdown_come_back_the_same(name):
    factories.meetup(name=name)
    assert_round_trip()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "description",
    [
        "Jane Roe, Organizer",
        "https://bare.example/",
        "[A link](https://a.example/) first.",
        "- item\n+ item\n1. item\n> quote\n---\n~~~\n: def\n^",
        "Line separator\u2028inside\x0bhere\x1c.",
        "Looks like mojibake: Ã© and cafe\u0301.",
    ],
)
def test_descriptions_that_look_like_page_structure_come_back_the_same(description):
    factories.meetup(name="Plain Group", url="", organizers=(), description=description)
    factories.meetup(name="Url Group", organizers=(), description=description)
    html = rendered(assert_round_trip())
    for tag in ("<ul", "<ol", "<blockquote", "<hr", "<pre", "<code", "<dl"):
        assert tag not in html


@pytest.mark.django_db
def test_control_characters_are_refused_by_the_managers_edit_form():
    group = factories.meetup(name="Edited Group")
    form = MeetupForm(
        data={"name": "Edited\x01Group", "url": "", "description": ""}, instance=group
    )
    assert not form.is_valid()
    assert "control characters" in str(form.errors["name"])


@pytest.mark.django_db
def test_character_reference_in_url_is_refused_by_the_managers_edit_form():
    # "&amp;" in an address is read as "&" by the page: it would not come back the same.
    group = factories.meetup(name="Edited Group")
    form = MeetupForm(
        data={"name": "Edited Group", "url": "https://ok.test/&amp;x;", "description": ""},
        instance=group,
    )
    assert not form.is_valid()
    assert "%26" in str(form.errors["url"])


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["description", "intro"])
def test_no_heading_in_export_but_the_group_headings(where):
    forged = (
        "# Fake Group #\n"
        "### Fake Group Three ###\n"
        "###### Six\n"
        "#Tight\n"
        "Setext one\n"
        "===\n"
        "Setext two\n"
        "---\n"
        "Underlined\n"
        "= = =\n"
        "Last ##"
    )
    if where == "intro":
        from meetups.services import directory_page

        page = directory_page()
        page.intro = forged
        page.save()
        factories.meetup(name="Real Group")
    else:
        factories.meetup(name="Real Group", description=forged)
    html = rendered(assert_round_trip())
    headings = [line for line in html.splitlines() if line.startswith(("<h1", "<h2", "<h3"))]
    headings += [line for line in html.splitlines() if line.startswith(("<h4", "<h5", "<h6"))]
    assert headings == ["<h2>Real Group</h2>"]
    assert "Fake Group #" in html and "===" in html
