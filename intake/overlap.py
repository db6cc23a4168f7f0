"""Overlap warnings: the listed groups and open proposals most like a proposal being written.

Scores come from trigram similarity. On PostgreSQL the database computes them with pg_trgm
(`similarity` and `word_similarity`), and GIN trigram indexes on names and descriptions
(migration intake 0003) let it skip the rows that cannot reach the threshold. Elsewhere
(SQLite in development) the same two functions run here in Python, ported from pg_trgm's
definitions, so both databases rank the same matches first.

How a candidate is scored (weights tuned on the council's listing page), from 0 to 1:
- 0.5 x the proposed name against the candidate's name: the better of word similarity (the
  name's words found in one stretch of the candidate's name) and plain similarity;
- 0.25 x the proposed name's words found in the candidate's description, its first 1,000
  characters (word similarity);
- 0.25 x the proposed description against the candidate's (plain similarity, doubled and
  capped at 1: two descriptions of one topic share about a third of their trigrams, two
  unrelated ones about a sixth).
Before comparing, the proposed name is casefolded, its punctuation dropped, and the words
every group here shares ("library", "librarians", "group", "interest", ...) left out, so
"UX Librarians" is compared as "ux", not matched on "librarians" by every group of
librarians. "New", "York" and "NYC" are among those words: every group here is in New York.

A match is shown from THRESHOLD (0.3) up. On the council's page, names alone: "Code4Lib New
York" scores 0.69 for Code4LibNYC (the next group 0.17), "UX Librarians" 0.75 for User
Experience (UX) in Libraries (next 0.08), "Interlibrary loan folks" 0.75 for Library
Resource Sharing (next 0.28), and an unrelated "Beekeeping Club" at most 0.14 (0.2 with a
description about bees). tests/intake/test_overlap.py holds these cases.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramSimilar, TrigramWordSimilar
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Coalesce, Left, Length
from django.db.models.lookups import GreaterThan

from meetups.models import Meetup

from .models import Proposal, State

THRESHOLD = 0.3
LIMIT = 5
NAME_WEIGHT = 0.5
NAME_IN_DESCRIPTION_WEIGHT = 0.25
DESCRIPTION_WEIGHT = 0.25
DESCRIPTION_SCALE = 2
# Only this much of what is typed is compared: enough for any real description, and it
# bounds the cost of a request however long the text sent.
MAX_QUERY_CHARS = 2000
# The name's words are looked for in the start of each description, cut after its last
# whole word: word similarity costs the square of the text's length (in pg_trgm as in the
# port below), and a group's description says what it is about early on.
DESCRIPTION_PREFIX = 1000

# Open proposals staff have seen; a draft is its organizers' private work.
OVERLAP_STATES = (State.SUBMITTED, State.REVIEWED, State.CHANGES_REQUESTED)

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


# A port of pg_trgm's similarity() and word_similarity() (contrib/pg_trgm/trgm_op.c): each
# word is padded with two spaces before and one after, then cut into 3-character pieces.


def trigrams(text: str) -> list[str]:
    found = []
    for word in words(text):
        padded = f"  {word} "
        found.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


_TRAILING_WORD = re.compile(r"[^\W_]+$")


def description_start(text: str) -> str:
    """The first DESCRIPTION_PREFIX characters, without the word they may cut (the same
    as _description_start_sql on PostgreSQL)."""
    if len(text) <= DESCRIPTION_PREFIX:
        return text
    return _TRAILING_WORD.sub("", text[:DESCRIPTION_PREFIX])


def _description_start_sql():
    return Case(
        When(
            GreaterThan(Length("description"), DESCRIPTION_PREFIX),
            then=Func(
                Left("description", DESCRIPTION_PREFIX),
                Value("[[:alnum:]]+$"),
                Value(""),
                function="regexp_replace",
                output_field=TextField(),
            ),
        ),
        default=F("description"),
        output_field=TextField(),
    )


def _ratio(count: int, len1: int, len2: int) -> float:
    total = len1 + len2 - count
    return count / total if total else 0.0


def similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams of both texts (pg_trgm's similarity)."""
    first, second = set(trigrams(a)), set(trigrams(b))
    if not first or not second:
        return 0.0
    return _ratio(len(first & second), len(first), len(second))


def word_similarity(query: str, text: str) -> float:
    """The best similarity between the query's trigrams and a continuous stretch of the
    text's (pg_trgm's word_similarity), following pg_trgm's own search."""
    wanted = set(trigrams(query))
    sequence = trigrams(text)
    ulen1 = len(wanted)
    if not ulen1:
        return 0.0
    found = [t in wanted for t in sequence]
    last_position: dict[str, int] = {}
    ulen2 = count = 0
    lower = -1
    best = 0.0
    for i, trigram in enumerate(sequence):
        if lower >= 0 or found[i]:
            if last_position.get(trigram, -1) < 0:
                ulen2 += 1
                if found[i]:
                    count += 1
            last_position[trigram] = i
        if not found[i]:
            continue
        upper = i
        if lower == -1:
            lower = i
            ulen2 = 1
        current = _ratio(count, ulen1, ulen2)
        tmp_count, tmp_ulen2, previous_lower = count, ulen2, lower
        for tmp_lower in range(lower, upper + 1):
            candidate = _ratio(tmp_count, ulen1, tmp_ulen2)
            if candidate > current:
                current, ulen2, lower, count = candidate, tmp_ulen2, tmp_lower, tmp_count
            if last_position.get(sequence[tmp_lower], -1) == tmp_lower:
                tmp_ulen2 -= 1
                if found[tmp_lower]:
                    tmp_count -= 1
        best = max(best, current)
        if best >= 1.0:
            return best  # nothing scores higher: the rest would change nothing
        for tmp_lower in range(previous_lower, lower):
            if last_position.get(sequence[tmp_lower], -1) == tmp_lower:
                last_position[sequence[tmp_lower]] = -1
    return best


@dataclass(frozen=True)
class Match:
    kind: str  # "group" or "proposal"
    name: str
    score: float
    url: str = ""  # a listed group's public page
    reference: str = ""  # a proposal's reference (shown to staff only)

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def combined_score(
    *, name_word: float, name_plain: float, in_description: float, description: float
) -> float:
    score = (
        NAME_WEIGHT * max(name_word, name_plain)
        + NAME_IN_DESCRIPTION_WEIGHT * in_description
        + DESCRIPTION_WEIGHT * min(1.0, DESCRIPTION_SCALE * description)
    )
    # Rounded so that PostgreSQL's single-precision scores and Python's doubles rank alike.
    return round(score, 4)


def _candidates():
    groups = Meetup.objects.listed()
    proposals = Proposal.objects.filter(state__in=OVERLAP_STATES)
    return groups, proposals


def _scores_in_python(queryset, *, query: str, description: str) -> list[tuple[object, float]]:
    scored = []
    for row in queryset:
        text = row.description or ""
        score = combined_score(
            name_word=word_similarity(query, row.name),
            name_plain=similarity(query, row.name),
            in_description=word_similarity(query, description_start(text)),
            description=similarity(description, text) if description else 0.0,
        )
        scored.append((row, score))
    return scored


def _scores_in_postgres(queryset, *, query: str, description: str) -> list[tuple[object, float]]:
    # A row reaches the threshold only if one of its parts does (the score is a weighted
    # mean): the indexed operators keep those rows and skip the rest (_set_thresholds). The
    # whole description's word similarity is never below its start's, so testing the whole
    # one (indexed) keeps every row whose start could reach it.
    might_match = Q(TrigramWordSimilar(F("name"), Value(query))) | Q(
        TrigramSimilar(F("name"), Value(query))
    )
    might_match |= Q(TrigramWordSimilar(F("description"), Value(query)))
    if description:
        might_match |= Q(TrigramSimilar(F("description"), Value(description)))
    rows = queryset.filter(might_match).annotate(
        _name_word=TrigramWordSimilarity(Value(query), "name"),
        _name_plain=TrigramSimilarity("name", Value(query)),
        _in_description=TrigramWordSimilarity(Value(query), _description_start_sql()),
        _description=Coalesce(TrigramSimilarity("description", Value(description)), Value(0.0))
        if description
        else Value(0.0),
    )
    return [
        (
            row,
            combined_score(
                name_word=row._name_word,
                name_plain=row._name_plain,
                in_description=row._in_description,
                description=row._description,
            ),
        )
        for row in rows
    ]


def _set_thresholds() -> None:
    """The operators' thresholds, for this transaction only: word similarity (%>) at the
    threshold; plain similarity (%) at the threshold over DESCRIPTION_SCALE, as the
    descriptions' similarity counts that many times (for names it only keeps more rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true), "
            "set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(THRESHOLD), str(THRESHOLD / DESCRIPTION_SCALE)],
        )


def find_overlaps(
    *, name: str, description: str = "", exclude_reference: str = "", limit: int = LIMIT
) -> list[Match]:
    """The listed groups and open proposals most like this name and description, best
    first, each scoring at least THRESHOLD. `exclude_reference` leaves out the proposal
    being compared (on its own pages)."""
    query = name_query(name or "")[:MAX_QUERY_CHARS]
    description = (description or "").casefold()[:MAX_QUERY_CHARS]
    if not query and not description:
        return []
    groups, proposals = _candidates()
    if exclude_reference:
        proposals = proposals.exclude(reference=exclude_reference)
    # The state fields too: django-fsm's ConcurrentTransitionMixin reads them as each row is
    # loaded, and a deferred one would cost a query per row.
    groups = groups.only("name", "slug", "description", "lifecycle")
    proposals = proposals.only("name", "reference", "description", "state")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            _set_thresholds()
            scored_groups = _scores_in_postgres(groups, query=query, description=description)
            scored_proposals = _scores_in_postgres(proposals, query=query, description=description)
    else:
        scored_groups = _scores_in_python(groups, query=query, description=description)
        scored_proposals = _scores_in_python(proposals, query=query, description=description)
    matches = [
        Match(kind="group", name=g.name, score=s, url=g.get_absolute_url())
        for g, s in scored_groups
        if s >= THRESHOLD
    ] + [
        Match(kind="proposal", name=p.name, score=s, reference=p.reference)
        for p, s in scored_proposals
        if s >= THRESHOLD
    ]
    matches.sort(key=lambda m: (-m.score, m.kind != "group", m.name.casefold()))
    return matches[:limit]
