"""The listing page parser and writer (meetups.listing), tested directly: no database."""

from pathlib import Path

import pytest

from meetups.listing import (
    ListedGroup,
    Listing,
    ListingError,
    parse_listing,
    parse_organizers_line,
    render_listing,
    split_names,
)
from meetups.naming import format_organizers

PAGE = Path(__file__).parent / "data" / "metro-meetups-page.md"

ORG, CO, CONV = "Organizer", "Co-organizer", "Convener"


def page(*blocks: str, front="---\ntitle: Meetups\n---\nIntro text.\n") -> str:
    return front + "\n".join(blocks)


def test_the_shared_page_yields_its_eleven_groups_in_order():
    listing = parse_listing(PAGE.read_text(encoding="utf-8"))
    assert [g.name for g in listing.groups] == [
        "Code4LibNYC",
        "Economic & Business Librarians",
        "Instruction and Reference in Libraries",
        "Librarians for College Readiness",
        "Library Assistants and Support Staff",
        "Library Resource Sharing: Circulation, Interlibrary Loan & Reserves",
        "Outreach and Advocacy",
        "Racial and Social Justice in Libraries, and Archives",
        "Science, Technology, Medical Librarians",
        "User Experience (UX) in Libraries",
        "Web Archiving Interest Group",
    ]
    assert listing.front_matter == "title: METRO Meetups\npermalink: /services/meetups/"
    assert listing.intro.startswith("METRO is proud to support")
    assert "[Check out our program guidelines](https://docs.google.com/" in listing.intro
    groups = {g.name: g for g in listing.groups}
    assert groups["Code4LibNYC"].url == "https://www.meetup.com/code4libnyc/"
    assert groups["Code4LibNYC"].organizers == [("Stephen Klein", ORG)]
    assert groups["Economic & Business Librarians"].organizers == [
        ("Lucy Heckman", ORG),
        ("Dan Hicks", ORG),
    ]
    assert groups["Instruction and Reference in Libraries"].organizers == [
        ("Linda Miles", CO),
        ("Haruko Yamauchi", CO),
        ("Kate Adler", CO),
        ("Shawnta Smith", CO),
    ]
    assert groups["Outreach and Advocacy"].organizers == [
        ("Carl Andrews", CO),
        ("Mark Aaron Polger", CO),
    ]
    assert all(g.url.startswith("https://") for g in listing.groups)
    assert all(g.organizers and g.description for g in listing.groups)


def test_mojibake_is_repaired_and_paragraphs_kept():
    listing = parse_listing(PAGE.read_text(encoding="utf-8"))
    readiness = next(g for g in listing.groups if g.name == "Librarians for College Readiness")
    assert "ease students\u2019 transition" in readiness.description
    assert "â€" not in render_listing(listing)
    paragraphs = readiness.description.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[1].startswith("Through conversation")
    # Trailing spaces are not data.
    instruction = next(g for g in listing.groups if g.name.startswith("Instruction"))
    assert instruction.description.endswith("reference practice.")


@pytest.mark.parametrize(
    "heading",
    [
        "## Zine Librarians ##",
        "## Zine Librarians",
        "##Zine Librarians##",
        "##   Zine Librarians   ##   ",
        "  ## Zine Librarians ###",
        "## Zine   Librarians ##",
    ],
)
def test_heading_variants(heading):
    listing = parse_listing(
        page(
            heading,
            "[https://z.example/](https://z.example/)",
            "",
            "Ann Roe, Organizer",
            "",
            "Zines.",
        )
    )
    assert [g.name for g in listing.groups] == ["Zine Librarians"]


def test_blank_lines_anywhere_and_a_missing_link_line():
    text = page(
        "",
        "",
        "## First ##",
        "",
        "",
        "[https://first.example/](https://first.example/)",
        "",
        "",
        "",
        "Ann Roe, Organizer",
        "",
        "",
        "First description.",
        "",
        "",
        "",
        "## Second ##",
        "Bea Soe and Cy Toe, Co-organizers",
        "Second description.",
        "## Third ##",
        "",
        "Third description, with no organizers line.",
    )
    first, second, third = parse_listing(text).groups
    assert (first.url, first.organizers, first.description) == (
        "https://first.example/",
        [("Ann Roe", ORG)],
        "First description.",
    )
    assert second.url == ""
    assert second.organizers == [("Bea Soe", CO), ("Cy Toe", CO)]
    assert second.description == "Second description."
    assert (third.url, third.organizers) == ("", [])
    assert third.description == "Third description, with no organizers line."


def test_link_line_forms():
    for line, url in [
        ("[https://a.example/x](https://a.example/x)", "https://a.example/x"),
        ("[Our page](https://a.example/x)", "https://a.example/x"),
        ("<https://a.example/x>", "https://a.example/x"),
        ("https://a.example/x", "https://a.example/x"),
    ]:
        (group,) = parse_listing(page("## A ##", line, "", "Ann Roe, Organizer")).groups
        assert group.url == url, line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ann Roe, Organizer", [("Ann Roe", ORG)]),
        ("Ann Roe and Bo Li, Organizers", [("Ann Roe", ORG), ("Bo Li", ORG)]),
        ("Ann Roe, Co-organizer", [("Ann Roe", CO)]),
        ("Ann Roe and Bo Li, Co-organizers", [("Ann Roe", CO), ("Bo Li", CO)]),
        ("Ann Roe and Bo Li, Co-Organizers", [("Ann Roe", CO), ("Bo Li", CO)]),
        ("Ann Roe, Convener", [("Ann Roe", CONV)]),
        (
            "Ann Roe, Bo Li and Cy Wu, Co-organizers",
            [("Ann Roe", CO), ("Bo Li", CO), ("Cy Wu", CO)],
        ),
        (
            "Ann Roe, Bo Li, and Cy Wu, Co-organizers",
            [("Ann Roe", CO), ("Bo Li", CO), ("Cy Wu", CO)],
        ),
        ("Ann Roe, Bo Li, Cy Wu, Co-organizers", [("Ann Roe", CO), ("Bo Li", CO), ("Cy Wu", CO)]),
        ("Ann Roe & Bo Li , Organizers ", [("Ann Roe", ORG), ("Bo Li", ORG)]),
        (
            "Ann Roe, Organizer; Bo Li and Cy Wu, Co-organizers",
            [("Ann Roe", ORG), ("Bo Li", CO), ("Cy Wu", CO)],
        ),
    ],
)
def test_organizers_lines(line, expected):
    assert parse_organizers_line(line) == expected
    (group,) = parse_listing(
        page("## A ##", "[https://a.example/](https://a.example/)", "", line, "", "About A.")
    ).groups
    assert group.organizers == expected
    assert group.description == "About A."


def test_sentences_are_not_organizers_lines():
    assert parse_organizers_line("We meet monthly, online.") is None
    assert parse_organizers_line("Open to all, Everyone") is None
    assert split_names("Ann Roe, Bo Li, and Cy Wu") == ["Ann Roe", "Bo Li", "Cy Wu"]


def test_format_organizers_follows_the_page():
    assert format_organizers([("Stephen Klein", ORG)]) == "Stephen Klein, Organizer"
    assert format_organizers([("A", ORG), ("B", ORG)]) == "A and B, Organizers"
    assert format_organizers([("A", CO), ("B", CO), ("C", CO)]) == "A, B, and C, Co-organizers"
    assert (
        format_organizers([("A", ORG), ("B", CO), ("C", CO)])
        == "A, Organizer; B and C, Co-organizers"
    )


def _problems(text: str) -> list[tuple[int, str]]:
    with pytest.raises(ListingError) as caught:
        parse_listing(text)
    return caught.value.problems


def test_malformed_pages_name_the_line_and_what_was_expected():
    assert _problems("---\ntitle: x\n## A ##\n") == [
        (1, "the front matter starting here never ends: expected a line '---'")
    ]
    # line numbers count the front matter: the heading is on line 5 here
    problems = _problems(
        page("## A ##", "[https://a.example/](https://a.example/", "", "Ann Roe, Organizer")
    )
    assert problems[0][0] == 6
    assert "expected a link line like [https://" in problems[0][1]

    problems = _problems(page("## A ##", "[x](ftp://files.example/)", "", "Ann Roe, Organizer"))
    assert problems[0][0] == 6 and "expected a web address starting with https://" in problems[0][1]

    problems = _problems(page("## A ##", "", "Ann Roe and Bo Li, Chairs"))
    assert problems[0][0] == 7
    assert "unknown role 'Chairs'" in problems[0][1] and "Co-organizers" in problems[0][1]

    assert _problems(page("## A ##", "Ann Roe, Organizer", "## ##", "x"))[0] == (
        7,
        "expected a group name after '##'",
    )
    problems = _problems(
        page("## Zines ##", "Ann Roe, Organizer", "", "## zines ##", "Bo Li, Organizer")
    )
    assert problems == [(8, "a second group called 'zines' (the first is on line 5)")]

    assert "no groups found" in _problems(page("Just an intro."))[0][1]


def test_every_problem_is_reported_at_once():
    problems = _problems(page("## A ##", "[x](nope)", "## ##", "## C ##", "Ann Roe, Chair"))
    assert [line for line, _message in problems] == [6, 7, 9]


def test_render_then_parse_gives_the_same_data():
    listing = parse_listing(PAGE.read_text(encoding="utf-8"))
    again = parse_listing(render_listing(listing))
    assert again.data() == listing.data()
    assert render_listing(again) == render_listing(listing)


def test_a_description_cannot_forge_a_group():
    tricky = Listing(
        front_matter="title: T",
        intro="# A page title\n\n## Looks like a heading\n\\ starts with a backslash\n### A subheading",
        groups=[
            ListedGroup(
                name="Real",
                url="https://real.example/",
                organizers=[("Ann Roe", CO), ("Bo Li", CO)],
                description="Intro paragraph.\n\n## Forged group ##\n[https://x.example/](https://x.example/)\n\n"
                "\\## already escaped\n#hashtag line\n\\\\ two backslashes",
            ),
            ListedGroup(
                name="No link or people", description="[A link](https://a.example/) first."
            ),
        ],
    )
    text = render_listing(tricky)
    assert "\n\\## Forged group ##\n" in text
    # Other Markdown headings would be headings on the page too: every one is escaped.
    assert "\n\\# A page title\n" in text and "\n\\### A subheading\n" in text
    assert "\n\\#hashtag line\n" in text
    again = parse_listing(text)
    assert again.data() == tricky.data()
    assert [g.name for g in again.groups] == ["Real", "No link or people"]
    assert again.groups[1].url == ""
