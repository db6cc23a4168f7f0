"""Group names as people see them: one stored form, and one key under which look-alike names
(zero-width characters, a Cyrillic "о" for a Latin "o", a fullwidth "Ｃ") are the same name.

The look-alike table is Unicode's confusables list (UTS #39) as shipped by the maintained
`confusable_homoglyphs` package, not a hand list: each character maps to the smallest code
point it can be confused with, directly or through others, so "о", "ο" and "o" share "o".
"""

import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data


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


def name_key(name: str) -> str:
    """Names compare without case, extra spaces, trailing dots, invisible characters or
    look-alike letters from other scripts."""
    text = unicodedata.normalize("NFKC", clean_name(name).casefold())
    prototypes = _prototypes()
    text = "".join(prototypes.get(c, c) for c in text)
    return " ".join(text.split()).strip(" .")
