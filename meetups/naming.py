"""How groups and their people are named and written: the stored form of a group name and the
key under which look-alike names are the same name, the public roles, and the organizers'
line ("A and B, Co-organizers") that the directory shows and the listing page holds. Models
and the listing page both use it, so it imports neither.

The look-alike table is Unicode's confusables list (UTS #39) as shipped by the maintained
`confusable_homoglyphs` package, not a hand list: each character maps to the smallest code
point it can be confused with, directly or through others, so "о", "ο" and "o" share "o".
"""

import re
import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data
from django.db import models


def _is_format_character(character: str) -> bool:
    # Category Cf: zero-width spaces and joiners (U+200B, U+200D, U+2060), bidi marks, the
    # soft hyphen. Invisible, so a name that differs only by them is the same name.
    return unicodedata.category(character) == "Cf"


def clean_name(name: str) -> str:
    """The form a group name is stored in: NFKC (fullwidth letters, ligatures and the like
    become their plain form), no format characters, one space between words."""
    name = unicodedata.normalize("NFKC", name)
    return " ".join("".join(c for c in name if not _is_format_character(c)).split())


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character to the representative of its look-alike class."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.get(c, c) != c:
            parent[c] = parent.get(parent[c], parent[c])
            c = parent[c]
        return c

    for character, homoglyphs in confusables_data.items():
        for homoglyph in homoglyphs:
            other = homoglyph["c"]
            if len(character) != 1 or len(other) != 1:
                continue  # multi-character look-alikes ("rn" for "m") are left out
            a, b = find(character), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {c: find(c) for c in parent}


def _is_separator(character: str) -> bool:
    # Spaces and punctuation (dashes, underscores, dots, slashes, middle dots, "!"): "Code4Lib
    # NYC", "Code4-LibNYC", "Code4Lib.NYC" and "Code4LibNYC" read as one name. "#" stays, so
    # "C# Users" is not "C Users".
    return character.isspace() or (
        unicodedata.category(character).startswith("P") and character != "#"
    )


def _without_accents(text: str) -> str:
    # Combining marks (Mn, Me) taken off the letters they sit on: "Ćode" is "Code".
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) not in ("Mn", "Me"))


def _without_separators(text: str) -> str:
    return "".join(c for c in text if not _is_separator(c))


# Digits that read as a letter when written among letters ("C0de4L1bNYC").
_DIGIT_LETTERS = {"0": "o", "1": "l", "2": "z", "5": "s", "8": "b"}


def _digits_as_letters(text: str) -> str:
    """A look-alike digit inside a word (letters on both sides, or at the word's edge beside
    a letter) becomes its letter: "c0de4l1b" is "code4lib", "0range" is "orange". A number
    standing alone or among digits stays a number: "group 0", "web2020"."""
    out = list(text)
    for i, character in enumerate(text):
        if character not in _DIGIT_LETTERS:
            continue
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        word_edge_before = not before.isalnum()
        word_edge_after = not after.isalnum()
        if (
            (before.isalpha() and after.isalpha())
            or (word_edge_before and after.isalpha())
            or (before.isalpha() and word_edge_after)
        ):
            out[i] = _DIGIT_LETTERS[character]
    return "".join(out)


# Digits that can stand for a letter but also often mean themselves ("Code4Lib"): folded
# only in the second key `same_name` also compares, never in `name_key` itself.
_MORE_DIGIT_LETTERS = {**_DIGIT_LETTERS, "3": "e", "4": "a"}
_SHORT_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{1,2}(?![0-9])")


def _more_digits_as_letters(text: str) -> str:
    """A run of one or two look-alike digits beside a letter becomes letters ("c0d34l1b" is
    "codealib"); a number standing alone, or longer, stays a number ("group 3", "web2020")."""

    def fold(match: re.Match) -> str:
        run, start, end = match.group(), match.start(), match.end()
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if (before.isalpha() or after.isalpha()) and all(d in _MORE_DIGIT_LETTERS for d in run):
            return "".join(_MORE_DIGIT_LETTERS[d] for d in run)
        return run

    return _SHORT_DIGIT_RUN.sub(fold, text)


def _as_one_digit(text: str) -> str:
    """A circled, enclosed or otherwise decorated digit that NFKC leaves alone ("⓸", "❹")
    becomes its plain digit."""
    return "".join(
        str(unicodedata.digit(c))
        if not c.isascii() and unicodedata.digit(c, None) is not None
        else c
        for c in text
    )


# "¡" or "!" between letters reads as i or l ("Code4L!bNYC"); "()" reads as o ("C()de").
_BANG_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])[!¡](?=[^\W\d_])")


def _punctuation_as_letters(text: str) -> str:
    return _BANG_BETWEEN_LETTERS.sub("l", text.replace("()", "o"))


# "The Zine Club", "Zine Club, The", "Zine Club (the)", "(A) Zine Club": the same name.
_LEADING_ARTICLE = re.compile(r"^\s*(?:\((?:the|a|an)\)|the)\s+")
_TRAILING_ARTICLE = re.compile(r"[\s,]+(?:\((?:the|a|an)\)|the)\s*$")


def _words(text: str) -> str:
    """ "&" read as "and", and an article before or after the name left out."""
    text = text.replace("&", " and ")
    shorter = _TRAILING_ARTICLE.sub("", _LEADING_ARTICLE.sub("", text))
    return shorter if shorter.strip() else text


def name_key(name: str, *, more_digits: bool = False) -> str:
    """Names compare without case, spaces, punctuation, accents, invisible characters,
    look-alike letters from other scripts or look-alike digits inside words, "&" for "and"
    or an article before or after; i, l and 1 compare equal. `more_digits` also reads 3
    and 4 beside letters as e and a (see `same_name`)."""
    # The look-alike table before case folding too: lower-cased, Greek "Ν" is "ν", which
    # no longer maps to "n". ASCII is left for the case folding, so "Code" stays "code".
    text = _as_one_digit(clean_name(name))
    prototypes = _prototypes()
    text = "".join(c if c.isascii() or _is_separator(c) else prototypes.get(c, c) for c in text)
    text = _without_accents(unicodedata.normalize("NFKC", text.casefold()))
    text = _punctuation_as_letters(text)
    text = _words(text)
    # Before separators go: a digit's word is read with the spaces the name was written with.
    text = _digits_as_letters(text)
    if more_digits:
        text = _more_digits_as_letters(text)
    # Separators go before the look-alike table too, which maps some of them to letters.
    text = _without_separators(text)
    text = "".join(prototypes.get(c, c) for c in text)
    text = _without_accents(unicodedata.normalize("NFKC", text))
    # The table maps "l" to "1"; "i" reads as either of them in many typefaces.
    return _without_separators(text).replace("i", prototypes.get("l", "l"))


def name_keys(name: str) -> set[str]:
    """The keys a name is read under: as written, and with 3 and 4 beside letters read as
    e and a."""
    return {name_key(name), name_key(name, more_digits=True)}


def same_name(one: str, other: str) -> bool:
    """Whether people would read the two names as one: their keys meet under either
    reading, so a digit is read as a letter only where the other name has that letter
    ("C0d34L1bNYC" is "Code4LibNYC", "Cod3 4Lib" is too, "Code4LibNYC" is not "Code4LibDC")."""
    return bool(name_keys(one) & name_keys(other))


def normalize_name(name: str) -> str:
    """Names compare without case, spaces, hyphens, accents, trailing dots, invisible
    characters or look-alike letters (`name_key`)."""
    return name_key(name)


class Role(models.TextChoices):
    """The public role of a person shown with a group. Stored singular; the directory and the
    exported page say "Co-organizers" when several people share the role, as the page does."""

    ORGANIZER = "Organizer", "Organizer"
    CO_ORGANIZER = "Co-organizer", "Co-organizer"
    CONVENER = "Convener", "Convener"


ROLE_PLURALS = {
    Role.ORGANIZER: "Organizers",
    Role.CO_ORGANIZER: "Co-organizers",
    Role.CONVENER: "Conveners",
}


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
