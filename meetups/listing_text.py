"""Text on the council's listing page, field by field: mend mojibake, and write plain text
so that Markdown (CommonMark and kramdown alike, as Jekyll publishes the page) shows it as
text, and read it back; Jekyll's Liquid, which reads the page first, finds no tag or
output in it ("{%" and "{{" are never written). Escapes are Markdown's backslash escapes,
and numeric character references where a backslash is not enough (in organizer names, the
separators ``,``, ``;``, ``&`` and ``and``; a "%" after "{"). Only http(s) links are written, with nothing in them that could
end the link early. meetups.listing reads and writes whole pages with these."""

import html.entities
import re
import unicodedata
from urllib.parse import quote

import ftfy

# A group heading: "## Name ##", "## Name", "##  Name  ##  ". "###" is not one.
HEADING = re.compile(r"^\s*##(?!#)[ \t]*(?P<name>.*?)(?:[ \t]+#+)?[ \t]*$")


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


def character_reference(character: str) -> str:
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
            out.append(
                character_reference(character)
            )  # "\\" ending a line is a line break in kramdown
        elif character in ALWAYS_ESCAPED:
            out.append("\\" + character)
        elif character == "%" and i and text[i - 1] == "{":
            # Jekyll runs Liquid over the page before Markdown, and Liquid knows no
            # backslash: "\{\{" already keeps "{{" apart, but "\{%" still opens a tag.
            out.append(character_reference(character))
        elif character == "&" and ENTITY_LIKE.match(text, i):
            out.append("&amp;")
        elif _invisible(character):
            out.append(character_reference(character))
        else:
            out.append(character)
    return "".join(out)


def escape_line_start(line: str) -> str:
    """A line that would start a list, quote, rule or heading starts escaped: every ATX
    heading ("# Title", "### Section ###", any number of "#") and every setext underline
    ("===", "---"), so the only headings on the page are the group headings it writes."""
    if line.startswith(("#", "=", "-", "+", ":")):
        return "\\" + line
    if line.startswith(("~", "^")):  # code fences and kramdown's block end: no backslash escape
        return character_reference(line[0]) + line[1:]
    match = LIST_START.match(line)
    if match:
        return line[: match.end()] + "\\" + line[match.end() :]
    return line


def ascii_if_repaired(text: str, *, before: str = "", after: str = "") -> str:
    """The import repairs mojibake. Text it would change (a name that looks like mojibake,
    decomposed accents), where the page writes it (between `before` and `after`), is
    written with its non-ASCII characters as references, which the repair leaves alone."""
    if repair(before + text + after) == before + text + after:
        return text
    return "".join(c if c.isascii() else character_reference(c) for c in text)


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
        lines.append(escape_line_start("".join(parts)))
    return ascii_if_repaired("\n".join(lines))


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
    return ascii_if_repaired(escape_inline(name, extra={"#": "\\#"}), before="## ", after=" ##")


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
    safe = URL_SAFE if balanced_parentheses(url) else URL_SAFE.replace("(", "").replace(")", "")
    encoded = quote(url, safe=safe)
    # "&amp;" in an address would be read as "&": write the "&" as %26 there.
    return ENTITY_LIKE.sub(lambda m: "%26" + m[0][1:], encoded)


def balanced_parentheses(text: str) -> bool:
    depth = 0
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0
