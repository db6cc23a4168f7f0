"""The words overlap warnings compare (intake.overlap): what a name or description is about,
and the keys under which two names a person would call the same group meet, whatever their
spacing, digits or acronyms."""

import re

# Words nearly every group of a library council has in its name: matching on them says
# nothing about overlap.
COMMON_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "archive",
        "archives",
        "archivist",
        "archivists",
        "association",
        "club",
        "clubs",
        "circle",
        "community",
        "council",
        "folks",
        "forum",
        "group",
        "groups",
        "information",
        "interest",
        "librarian",
        "librarians",
        "librarianship",
        "libraries",
        "library",
        "meetup",
        "meetups",
        "network",
        "new",
        "people",
        "professional",
        "professionals",
        "sig",
        "society",
        "special",
        "staff",
        "york",
        "nyc",
    ]
)

# English words that carry no topic (besides COMMON_WORDS), left out of the words compared.
_STOPWORDS_TEXT = """
    about above after again all also am an any are as be been before being below between
    both but can could did do does doing down during each else ever every few first further
    get gets had has have having he her here hers him his how however i if into is it its
    just least less let like many may me might more most much must my no nor not now off
    once one only other our ours out over own per same she should since so some such than
    that their theirs them then there these they this those through too under until up upon
    us very via want was we were what when where which while who whom why will would you
    your yours
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Lowercased runs of letters and digits, as pg_trgm splits words."""
    return _WORD.findall(text.lower())


def name_query(name: str) -> str:
    """The part of a proposed name worth comparing: casefolded, without punctuation and
    without the words every group shares (unless nothing else is left)."""
    all_words = words(name.casefold())
    kept = [w for w in all_words if w not in COMMON_WORDS]
    return " ".join(kept or all_words)


def _fold_plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> set[str]:
    """The words of a text that say what it is about: casefolded, plurals folded, without
    stopwords, the words every group shares, or single letters."""
    found = set()
    for word in words(text.casefold()):
        if len(word) < 2 or word in STOPWORDS or word in COMMON_WORDS:
            continue
        word = _fold_plural(word)
        if word not in COMMON_WORDS:
            found.add(word)
    return found


# Spellings a person reads as the same name. Digits that stand for a word ("Code4Lib"), and
# the place every group here shares, in any of its written forms: both drop out of the keys.
DIGIT_WORDS = {"2": "to", "4": "for"}
FUNCTION_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]
)
PLACE_ABBREVIATIONS = {"nyc": "new york city", "ny": "new york"}
PLACE_PHRASES = ("new york city", "new york")

# Runs of capitals (an acronym), a capitalised or lowercase word, or digits: "Code4LibNYC" is
# Code, 4, Lib, NYC.
_PIECE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[^\W\d_A-Z]+|\d+")
_BRACKETED = re.compile(r"\(([^()]*)\)")


def _pieces(text: str) -> list[str]:
    """The casefolded words of a name, split where capitals or digits start a new one, with
    place abbreviations written out and the place itself dropped."""
    pieces = []
    for piece in _PIECE.findall(text):
        piece = piece.casefold()
        pieces.extend(PLACE_ABBREVIATIONS.get(piece, DIGIT_WORDS.get(piece, piece)).split())
    return _without_place(pieces)


def _without_place(pieces: list[str]) -> list[str]:
    joined = f" {' '.join(pieces)} "
    for phrase in PLACE_PHRASES:
        joined = joined.replace(f" {phrase} ", " ")
    return joined.split()


def _meaningful(pieces: list[str]) -> list[str]:
    return [_fold_plural(p) for p in pieces if p not in COMMON_WORDS and p not in STOPWORDS]


def _joined(pieces: list[str]) -> str:
    key = "".join(pieces)
    return key if len(key) > 1 else ""


def name_keys(name: str) -> tuple[str, set[str]]:
    """The name's compact key, and the acronyms it may be known by.

    The compact key is what the name says with its spacing, case, digits for words, the
    place and the words every group shares taken away: "Code 4 Lib New York" and
    "Code4LibNYC" are both "codelib", "UX Librarians" is "ux". The acronyms: one written in
    brackets ("User Experience (UX) in Libraries": "ux"), and the initials of a name of two
    words or more, with and without the shared words ("Library Resource Sharing": "lrs" and
    "rs"). Two names are the same group when one's compact key is the other's compact key or
    one of its acronyms (two acronyms alike say nothing: many names share initials)."""
    acronyms = set()
    for bracketed in _BRACKETED.findall(name):
        acronyms.add(_joined(_meaningful(_pieces(bracketed))))
    plain = _BRACKETED.sub(" ", name)
    compact = _joined(_meaningful(_pieces(plain)))
    # Initials from the words as written (not split at capitals: "Code4Lib" is one word),
    # of the whole name and of its part before a colon or dash ("Library Resource Sharing").
    for part in {plain, re.split(r":| - | – | — ", plain)[0]}:
        written = [PLACE_ABBREVIATIONS.get(w, w) for w in words(part.casefold())]
        written = _without_place(" ".join(written).split())
        written = [w for w in written if w not in STOPWORDS | FUNCTION_WORDS and not w.isdigit()]
        for kept in (written, [w for w in written if w not in COMMON_WORDS]):
            if len(kept) >= 2:
                acronyms.add(_joined([w[0] for w in kept]))
    acronyms.discard("")
    acronyms.discard(compact)
    return compact, acronyms
