"""The council's Jekyll Markdown listing page: parse it, and write it back.

The page is front matter, an intro, then one block per group:

    ## Code4LibNYC ##
    [https://www.meetup.com/code4libnyc/](https://www.meetup.com/code4libnyc/)

    Stephen Klein, Organizer

    Description paragraphs...

Real versions of the page are hand-edited, so the parser accepts headings with or without
the closing ``##``, stray spaces, blank lines anywhere, a missing link line, the role labels
people actually wrote, and text with mojibake (repaired with ftfy). Anything it cannot read
is reported with its line number; nothing here touches the database.

Every field is plain text (descriptions and the intro may hold [text](https://…) links, as
on the directory). The page is published by Jekyll, whose Markdown passes raw HTML through,
so render_listing escapes everything Markdown or HTML would read: Markdown's backslash
escapes, and numeric character references where a backslash is not enough (in organizer
names, the separators ``,``, ``;``, ``&`` and ``and``). parse_listing reads those escapes
back, so parse_listing(render_listing(x)) == x for every value the forms accept. Only
http(s) links are written, with nothing in them that could end the link early.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .fields import validate_web_address
from .limits import DESCRIPTION_MAX_LENGTH, INTRO_MAX_LENGTH
from .listing_text import (
    HEADING,
    ascii_if_repaired,
    character_reference,
    escape_inline,
    escape_line_start,
    escape_name,
    escape_person,
    escape_text,
    normalize_text,
    repair,
    safe_link_address,
    unescape_line,
    unescape_text,
)
from .naming import Role, format_organizers, normalize_name

NAME_MAX = 200
URL_MAX = 500

# Every way the page has written a role, to the singular role stored.
ROLE_WORDS = {
    "organizer": Role.ORGANIZER,
    "organizers": Role.ORGANIZER,
    "organiser": Role.ORGANIZER,
    "organisers": Role.ORGANIZER,
    "co-organizer": Role.CO_ORGANIZER,
    "co-organizers": Role.CO_ORGANIZER,
    "co-organiser": Role.CO_ORGANIZER,
    "co-organisers": Role.CO_ORGANIZER,
    "convener": Role.CONVENER,
    "conveners": Role.CONVENER,
    "convenor": Role.CONVENER,
    "convenors": Role.CONVENER,
}
KNOWN_LABELS = "Organizer, Organizers, Co-organizer, Co-organizers or Convener"

# A link line: "[text](https://...)", "<https://...>" or a bare address.
LINK = re.compile(
    r"^\[(?P<text>[^\]]*)\]\((?P<url>\S+?)\)$|^<(?P<angle>\S+)>$|^(?P<bare>https?://\S+)$"
)
# Where the names end and the role begins: the last comma.
ROLE_TAIL = re.compile(r"^(?P<names>.+),\s*(?P<label>[A-Za-z][A-Za-z -]{0,30}?)\s*$")
# An "&" right after a comma joins names, unless it begins a character reference ("&#59;").
NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+|&(?!#?[A-Za-z0-9]+;)\s*)?|\s+and\s+|\s+&\s+")

_url_validator = URLValidator(schemes=["http", "https"])


class ListingError(Exception):
    """A page that cannot be imported. `problems` is a list of (line number, message)."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("\n".join(f"Line {line}: {message}" for line, message in problems))


@dataclass
class ListedGroup:
    name: str
    url: str = ""
    organizers: list[tuple[str, str]] = field(default_factory=list)  # (name, role)
    description: str = ""
    line: int = 0  # where its heading is, for messages

    def data(self) -> dict:
        """What an import compares and stores (the line number is not data)."""
        return {
            "name": self.name,
            "url": self.url,
            "organizers": [list(o) for o in self.organizers],
            "description": self.description,
        }


@dataclass
class Listing:
    front_matter: str = ""
    intro: str = ""
    groups: list[ListedGroup] = field(default_factory=list)

    def data(self) -> dict:
        return {
            "front_matter": self.front_matter,
            "intro": self.intro,
            "groups": [g.data() for g in self.groups],
        }


# Organizers


def parse_role(label: str) -> str | None:
    role = ROLE_WORDS.get(re.sub(r"[\s-]+", "-", label.strip().casefold()))
    return None if role is None else str(role.value)


def split_names(names: str) -> list[str]:
    """ "A, B, and C" / "A and B" / "A & B" into ["A", "B", "C"]."""
    return [n.strip() for n in NAME_SEPARATORS.split(names.strip()) if n and n.strip()]


def parse_organizers_line(line: str) -> list[tuple[str, str]] | None:
    """ "Lucy Heckman and Dan Hicks, Organizers" into [(name, role), ...]; several roles may be
    joined with ";". None when the line is not an organizers line."""
    people: list[tuple[str, str]] = []
    for segment in _segments(line):
        match = ROLE_TAIL.match(segment.strip())
        if not match:
            return None
        role = parse_role(match["label"])
        names = [unescape_text(name) for name in split_names(match["names"])]
        if role is None or not names:
            return None
        people.extend((name, role) for name in names)
    return people


def _segments(line: str) -> list[str]:
    """The line split at each ";" that is not the end of a character reference."""
    segments, start = [], 0
    for match in re.finditer(r"&#?[A-Za-z0-9]+;|;", line):
        if match[0] == ";":
            segments.append(line[start : match.start()])
            start = match.end()
    return [*segments, line[start:]]


def _looks_like_organizers(line: str) -> str | None:
    """The label of a line shaped like an organizers line ("Jane Roe, Chair"), for a clear
    error when the label is not one we know. Sentences end with punctuation; these don't."""
    if line.endswith((".", "!", "?", ":")) or len(line) > 300:
        return None
    match = ROLE_TAIL.match(_segments(line)[-1].strip())
    if not match:
        return None
    label = match["label"]
    words = label.split()
    if 1 <= len(words) <= 2 and all(w[0].isupper() for w in words):
        return label
    return None


def render_organizers_line(people: list[tuple[str, str]]) -> str:
    """The organizers line as the page writes it, each name escaped so that it reads back as
    one person ("Smith, John", "Tom & Jerry", "Ann and Bob" stay one name each)."""
    line = format_organizers([(escape_person(name), role) for name, role in people])
    return ascii_if_repaired(escape_line_start(line))


# Reading the page


def _parse_link(line: str) -> str | None:
    match = LINK.match(line)
    if not match:
        return None
    return match["url"] or match["angle"] or match["bare"]


def _looks_like_link(line: str) -> bool:
    """A bare or <angle> address is one word: an organizers line that starts with a name
    like "https://…" always goes on with ", Organizer"."""
    if line.startswith("[") and "](" in line:
        return True
    return line.startswith(("<http", "http://", "https://")) and len(line.split()) == 1


def _read_link(number: int, line: str, problems: list) -> str:
    url = _parse_link(line)
    if url is None:
        problems.append(
            (number, f"expected a link line like [https://…](https://…), found {line!r}")
        )
        return ""
    url = url.strip()
    try:
        _url_validator(url)
    except ValidationError:
        problems.append((number, f"expected a web address starting with https://, found {url!r}"))
    else:
        # The rules every form holds (a public site, no credentials, nothing that breaks
        # a link): an imported address is requested by the link check like a typed one.
        try:
            validate_web_address(url)
        except ValidationError as error:
            problems.append((number, f"{url!r} cannot be used: {' '.join(error.messages)}"))
    if len(url) > URL_MAX:
        problems.append((number, f"the web address is longer than {URL_MAX} characters"))
    return url


def _parse_group(name: str, line: int, body: list[tuple[int, str]], problems: list) -> ListedGroup:
    """A group's lines after its heading: an optional link line, then the organizers line
    (optional too, for groups with nobody listed), then description paragraphs."""
    group = ListedGroup(name=name, line=line)
    lines = [(number, text.strip()) for number, text in body]
    # Header lines first, wherever the blank lines are.
    position = 0
    while position < len(lines) and not lines[position][1]:
        position += 1
    if position < len(lines) and _looks_like_link(lines[position][1]):
        group.url = _read_link(*lines[position], problems)
        position += 1
        while position < len(lines) and not lines[position][1]:
            position += 1
    if position < len(lines):
        number, text = lines[position]
        people = parse_organizers_line(text)
        alone = position + 1 == len(lines) or not lines[position + 1][1]
        if people is not None:
            for person, _role in people:
                if len(person) > NAME_MAX:
                    problems.append(
                        (number, f"an organizer name is longer than {NAME_MAX} characters")
                    )
            group.organizers = people
            position += 1
        elif alone and (label := _looks_like_organizers(text)) is not None:
            problems.append(
                (
                    number,
                    f"unknown role {label!r} in the organizers line: expected names, a comma, "
                    f"then one of {KNOWN_LABELS}",
                )
            )
            position += 1
    group.description = "\n".join(unescape_line(text) for _number, text in lines[position:])
    if len(group.description) > DESCRIPTION_MAX_LENGTH:
        problems.append(
            (line, f"the description is longer than {DESCRIPTION_MAX_LENGTH:,} characters")
        )
    return group


def parse_listing(text: str) -> Listing:
    """Read a whole page. Raises ListingError naming every line it could not read."""
    text = repair(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    lines = text.split("\n")
    problems: list[tuple[int, str]] = []
    listing = Listing()

    index = 0
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                listing.front_matter = "\n".join(line.rstrip() for line in lines[1:end]).strip("\n")
                index = end + 1
                break
        else:
            raise ListingError(
                [(1, "the front matter starting here never ends: expected a line '---'")]
            )

    numbered = [(number + 1, lines[number]) for number in range(index, len(lines))]
    intro: list[str] = []
    heading: tuple[int, str] | None = None
    body: list[tuple[int, str]] = []
    seen_names: dict[str, int] = {}

    def finish():
        if heading is None:
            return
        number, name = heading
        listing.groups.append(_parse_group(name, number, body, problems))

    for number, line in numbered:
        match = HEADING.match(line)
        if match is None:
            (body if heading else intro).append((number, line) if heading else line)
            continue
        finish()
        name = " ".join(match["name"].split())
        if name.endswith("##"):  # "##Name##": closing hashes without the space before them
            name = name.rstrip("#").strip()
        name = unescape_text(name)
        body = []
        heading = (number, name)
        if not name:
            problems.append((number, "expected a group name after '##'"))
        elif len(name) > NAME_MAX:
            problems.append((number, f"the group name is longer than {NAME_MAX} characters"))
        key = normalize_name(name)
        if name and key in seen_names:
            problems.append(
                (number, f"a second group called {name!r} (the first is on line {seen_names[key]})")
            )
        seen_names.setdefault(key, number)
    finish()

    if not listing.groups and not problems:
        problems.append(
            (len(lines), "no groups found: expected a heading line like '## Group name ##'")
        )
    if problems:
        raise ListingError(sorted(problems))
    listing.intro = normalize_text("\n".join(unescape_line(line.strip()) for line in intro))
    if len(listing.intro) > INTRO_MAX_LENGTH:
        raise ListingError([(1, f"the intro is longer than {INTRO_MAX_LENGTH:,} characters")])
    for group in listing.groups:
        group.description = normalize_text(group.description)
    return listing


# Writing the page


def render_listing(listing: Listing) -> str:
    """The page in the same format it was read from; parse_listing(render_listing(x)) == x.
    Every field is escaped (see the module's docstring), and only http(s) links are written."""
    parts = ["---", listing.front_matter.strip("\n"), "---"] if listing.front_matter else []
    if listing.intro:
        parts.append(escape_text(listing.intro))
    out = "\n".join(p for p in parts if p != "") + "\n"
    for group in listing.groups:
        block = [f"## {escape_name(group.name)} ##"]
        address = safe_link_address(group.url) if group.url else None
        if address:
            block.append(f"[{escape_inline(address)}]({address})")
        if group.organizers:
            block.append("")
            block.append(render_organizers_line(group.organizers))
        if group.description:
            block.append("")
            block.append(_first_line_not_a_header(group, address, escape_text(group.description)))
        out += "\n\n" + "\n".join(block) + "\n"
    return out


def _first_line_not_a_header(group: ListedGroup, address: str | None, description: str) -> str:
    """A description whose first line would be read back as the group's link line (there is
    none) or organizers line (there is none) gets that line escaped."""
    if group.organizers:
        return description
    first, newline, rest = description.partition("\n")
    if not address and _looks_like_link(first):
        # "[text](https://…)" shows as text there; a bare address starts with a reference.
        first = "\\" + first if first.startswith("[") else character_reference(first[0]) + first[1:]
    if parse_organizers_line(first) is not None or _looks_like_organizers(first) is not None:
        first = first.replace(",", "&#44;")
    return first + newline + rest
