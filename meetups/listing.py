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

import html.entities
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

import ftfy
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .models import ROLE_PLURALS, Role, normalize_name

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

# A group heading: "## Name ##", "## Name", "##  Name  ##  ". "###" is not one.
HEADING = re.compile(r"^\s*##(?!#)[ \t]*(?P<name>.*?)(?:[ \t]+#+)?[ \t]*$")
# A link line: "[text](https://...)", "<https://...>" or a bare address.
LINK = re.compile(
    r"^\[(?P<text>[^\]]*)\]\((?P<url>\S+?)\)$|^<(?P<angle>\S+)>$|^(?P<bare>https?://\S+)$"
)
# Where the names end and the role begins: the last comma.
ROLE_TAIL = re.compile(r"^(?P<names>.+),\s*(?P<label>[A-Za-z][A-Za-z -]{0,30}?)\s*$")
NAME_SEPARATORS = re.compile(r"\s*,\s*(?:and\s+|&\s*)?|\s+and\s+|\s+&\s+")

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


# Text clean-up


def repair(text: str) -> str:
    """Mend mojibake (``studentsâ€™`` becomes ``students’``) and nothing else: curly quotes,
    HTML entities and full-width characters are the author's choice and stay."""
    return ftfy.fix_text(
        text,
        unescape_html=False,
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        normalization="NFC",
    )


def normalize_text(text: str) -> str:
    """Paragraph text as stored: no trailing spaces, no blank-line runs, Unix line ends."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# Escaping: text as Markdown shows it (CommonMark and kramdown alike)

# Backslash-escaped wherever they are: emphasis, code, links, raw HTML, kramdown's attribute
# lists ({: …}), tables and maths. A backslash before any ASCII punctuation is an escape in
# both, so reading them back is one rule.
ALWAYS_ESCAPED = frozenset("\\`*_[]<>{|$")
# "&name;" and "&#1;" would be read as a character: the "&" is written "&amp;".
ENTITY_LIKE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A number that starts an ordered list when it starts a line ("1." or "1)").
LIST_START = re.compile(r"^[0-9]{1,9}(?=[.)])")
# Read back: a backslash escape, or a character reference.
ESCAPE = re.compile(
    r"\\([!-/:-@\[-`{-~])|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
# A link in stored text, written as a link on the page: an http(s) address holding only
# characters that cannot end it early (the directory's own rule, made strict).
STORED_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+)\)")
# Safe in a link destination as written; anything else in a web address is percent-encoded.
URL_SAFE = "-._~:/?#@!$&'*+,;=%()"


def _reference(character: str) -> str:
    return f"&#{ord(character)};"


def _invisible(character: str) -> bool:
    # Control characters and line separators: the import's mojibake repair (ftfy) would
    # drop or turn them into line breaks, so they are written as references.
    return (unicodedata.category(character) in ("Cc", "Zl", "Zp")) and character not in "\n\t"


def escape_inline(text: str, *, extra: dict[str, str] | None = None) -> str:
    """Text that Markdown and HTML show exactly as it is. `extra` maps more characters to
    what to write instead (organizer names' separators)."""
    out = []
    for i, character in enumerate(text):
        if extra and character in extra:
            out.append(extra[character])
        elif character == "\\" and (i + 1 == len(text) or text[i + 1] == "\n"):
            out.append(_reference(character))  # "\\" ending a line is a line break in kramdown
        elif character in ALWAYS_ESCAPED:
            out.append("\\" + character)
        elif character == "&" and ENTITY_LIKE.match(text, i):
            out.append("&amp;")
        elif _invisible(character):
            out.append(_reference(character))
        else:
            out.append(character)
    return "".join(out)


def _escape_line_start(line: str) -> str:
    """A line that would start a list, quote, rule or a group heading starts escaped. Other
    headings ("# Title", "### Section") are headings on the page too, and stay."""
    if HEADING.match(line) or line.startswith(("-", "+", ":")):
        return "\\" + line
    if line.startswith(("~", "^")):  # code fences and kramdown's block end: no backslash escape
        return _reference(line[0]) + line[1:]
    match = LIST_START.match(line)
    if match:
        return line[: match.end()] + "\\" + line[match.end() :]
    return line


def _ascii_if_repaired(text: str, *, before: str = "", after: str = "") -> str:
    """The import repairs mojibake. Text it would change (a name that looks like mojibake,
    decomposed accents), where the page writes it (between `before` and `after`), is
    written with its non-ASCII characters as references, which the repair leaves alone."""
    if repair(before + text + after) == before + text + after:
        return text
    return "".join(c if c.isascii() else _reference(c) for c in text)


def escape_text(text: str) -> str:
    """Paragraph text (a description, the intro): escaped line by line, keeping its
    http(s) [text](address) links as links."""
    lines = []
    # Lines are read back trimmed, so they are written trimmed: no indented code blocks.
    for line in normalize_text(text).split("\n"):
        parts, last = [], 0
        for match in STORED_LINK.finditer(line):
            if ENTITY_LIKE.search(match[2]):
                continue  # an address that would be read as holding a character: text
            before = escape_inline(line[last : match.start()])
            if before.endswith("!"):
                before = before[:-1] + "\\!"  # not an image
            parts.append(before)
            parts.append(f"[{escape_inline(match[1])}]({match[2]})")
            last = match.end()
        parts.append(escape_inline(line[last:]))
        lines.append(_escape_line_start("".join(parts)))
    return _ascii_if_repaired("\n".join(lines))


def escape_line(line: str) -> str:
    """One line of text, escaped (kept for callers of the old name)."""
    return escape_text(line)


def unescape_text(text: str) -> str:
    """What a reader of the page sees: backslash escapes and character references read."""

    def one(match: re.Match) -> str:
        if match[1] is not None:
            return match[1]
        ref = match[2]
        if ref.startswith("#"):
            number = int(ref[2:], 16) if ref[1:2] in ("x", "X") else int(ref[1:])
            # As CommonMark: NUL, surrogates and beyond Unicode read as U+FFFD.
            valid = 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF
            return chr(number) if valid else "\ufffd"
        return html.entities.html5.get(ref + ";", match[0])

    return ESCAPE.sub(one, text)


def unescape_line(line: str) -> str:
    return unescape_text(line)


def _escape_text(text: str) -> str:
    return escape_text(text)


def escape_name(name: str) -> str:
    """A group name in its heading: "#" escaped too, so "Foo ##" keeps its hashes."""
    return _ascii_if_repaired(escape_inline(name, extra={"#": "\\#"}), before="## ", after=" ##")


# In an organizer's name, what would split it into several people or end the role segment.
NAME_SEPARATOR_REFERENCES = {",": "&#44;", ";": "&#59;", "&": "&amp;"}
WORD_AND = re.compile(r"(?<!\S)and(?!\S)")


def escape_person(name: str) -> str:
    return WORD_AND.sub("&#97;nd", escape_inline(name, extra=NAME_SEPARATOR_REFERENCES))


def safe_link_address(url: str) -> str | None:
    """The address as a link destination, or None when it is not an http(s) address.
    Characters that could end the link early (or are not ASCII) are percent-encoded."""
    if not re.match(r"https?://", url, re.IGNORECASE):
        return None
    safe = URL_SAFE if _balanced(url) else URL_SAFE.replace("(", "").replace(")", "")
    encoded = quote(url, safe=safe)
    # "&amp;" in an address would be read as "&": write the "&" as %26 there.
    return ENTITY_LIKE.sub(lambda m: "%26" + m[0][1:], encoded)


def _balanced(text: str) -> bool:
    depth = 0
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


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


def group_by_role(people: list[tuple[str, str]]) -> list[tuple[list[str], str]]:
    """Consecutive people with the same role, with the label as the page writes it:
    singular for one person, plural for several."""
    runs: list[tuple[list[str], str]] = []
    for name, role in people:
        if runs and runs[-1][1] == role:
            runs[-1][0].append(name)
        else:
            runs.append(([name], role))
    return [
        (names, role if len(names) == 1 else ROLE_PLURALS.get(role, role + "s"))
        for names, role in runs
    ]


def join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def format_organizers(people: list[tuple[str, str]]) -> str:
    """[(name, role)] back into the page's line: "Lisa Chow and Sandra Sajonas, Co-organizers"."""
    return "; ".join(f"{join_names(names)}, {label}" for names, label in group_by_role(people))


def render_organizers_line(people: list[tuple[str, str]]) -> str:
    """The organizers line as the page writes it, each name escaped so that it reads back as
    one person ("Smith, John", "Tom & Jerry", "Ann and Bob" stay one name each)."""
    line = format_organizers([(escape_person(name), role) for name, role in people])
    return _ascii_if_repaired(_escape_line_start(line))


# Reading the page


def _parse_link(line: str) -> str | None:
    match = LINK.match(line)
    if not match:
        return None
    return match["url"] or match["angle"] or match["bare"]


def _looks_like_link(line: str) -> bool:
    return (line.startswith("[") and "](" in line) or line.startswith(
        ("<http", "http://", "https://")
    )


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
        first = "\\" + first if first.startswith("[") else _reference(first[0]) + first[1:]
    if parse_organizers_line(first) is not None or _looks_like_organizers(first) is not None:
        first = first.replace(",", "&#44;")
    return first + newline + rest
