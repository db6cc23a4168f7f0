"""Overlap warnings: the listed groups and open proposals most like a proposal being written.

How a candidate is scored, from 0 to 1 (weights tuned on the council's listing page):
- 0.5 x its name against the proposed name: the better of pg_trgm's word similarity (the
  name's words found in one stretch of the candidate's name) and plain similarity;
- 0.5 x how much of what the proposal says (its name and description, as words) the
  candidate says too (in its name and description): the share of the proposal's words found
  there, each word weighted by how rare it is among the candidates (the idf of BM25), so
  "comics" counts for much and "meet" for little.
Before comparing, words are casefolded, their punctuation dropped, English stopwords and the
words every group here shares ("library", "librarians", "group", "interest", ...) left out,
and plurals folded ("zines" is "zine"). So "UX Librarians" is compared as "ux", not matched on
"librarians" by every group of librarians; "New", "York" and "NYC" are among those words, as
every group here is in New York.

A candidate whose name a person would read as the proposed one written another way (spacing,
digits for words, the place spelled out or abbreviated, an acronym: overlap_text.name_keys)
scores 1 on the name. A match is shown from THRESHOLD (0.3) up. On the council's page, names alone: "Code4Lib New
York" finds Code4LibNYC first, "UX Librarians" User Experience (UX) in Libraries,
"Interlibrary loan folks" Library Resource Sharing, and an unrelated "Beekeeping Club"
nothing. tests/intake/test_overlap.py holds these cases.

Where it runs: in each web process, over an index of every candidate's name trigrams and
words kept in memory (OverlapIndex), rebuilt when the candidates change (a new directory
version or another set of open proposals, looked at most once every
settings.OVERLAP_RECHECK_SECONDS). A check then costs no query and, at 20,000 candidates,
about a millisecond: each part of the score is summed over the index's posting lists with
numpy, which bounds every candidate's score from above, and only the few whose bound can still
reach the best ones have their names' word similarity computed exactly. Asking the database
instead (pg_trgm's operators, GIN indexes) cost 0.3 to 0.9 seconds per table at 10,000 rows:
a proposal's words are found in nearly every description.
"""

import math
import threading
import time
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save

from common import opaque
from meetups.cache import directory_state
from meetups.models import Meetup

from .models import Proposal, State
from .overlap_text import (  # noqa: F401 (the words compared are read from here too)
    COMMON_WORDS,
    STOPWORDS,
    name_keys,
    name_query,
    terms,
    words,
)
from .trigrams import similarity, trigrams, word_similarity  # noqa: F401

THRESHOLD = 0.3
LIMIT = 5
NAME_WEIGHT = 0.5
WORDS_WEIGHT = 0.5
# Only this much of what is typed is compared: enough for any real description, and it
# bounds the cost of a request however long the text sent.
MAX_QUERY_CHARS = 2000
# Scores are rounded to this many decimals, so that ties rank by name, not by float noise.
DECIMALS = 4

# Open proposals staff have seen; a draft is its organizers' private work.
OVERLAP_STATES = (State.SUBMITTED, State.REVIEWED, State.CHANGES_REQUESTED)
# Signs a proposal's reference into the "pass my details to staff" address (intake.introductions).
INTRODUCTION_SALT = "intake.introductions"


def introduction_token(references: list[str]) -> str:
    """The "pass my details to staff" form's token for these proposals: sealed, so the
    references cannot be read from the link (common.opaque)."""
    return opaque.seal(list(references), purpose=INTRODUCTION_SALT)


@dataclass(frozen=True)
class Match:
    kind: str  # "group" or "proposal"
    name: str
    score: float
    url: str = ""  # a listed group's public page
    reference: str = ""  # a proposal's reference (shown to staff only)
    # May this match's name be shown to the public? Listed groups always; a proposal under
    # review only when its proposers agreed (Proposal.shares_name_with_similar).
    named: bool = True
    # In a kept record of what was shown: the proposal (or its group) was erased since, and
    # its name with it (intake.erasure).
    erased: bool = False

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    @property
    def public_name(self) -> str:
        """The name for public pages and JSON: blank for a proposal whose proposers did not
        agree to be named (staff pages use `name`)."""
        return self.name if self.named else ""

    @property
    def introduction_token(self) -> str:
        """For the "pass my details to staff" form: the proposal, not readable by the
        visitor (intake.introductions)."""
        if self.kind != "proposal":
            return ""
        return introduction_token([self.reference])

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def combined_score(*, name_word: float, name_plain: float, shared_words: float) -> float:
    score = NAME_WEIGHT * max(name_word, name_plain) + WORDS_WEIGHT * shared_words
    return round(score, DECIMALS)


def rarity(*, documents: int, containing: int) -> float:
    """A word's weight: BM25's idf, high for a word few candidates use, near 0 for one in
    all of them, never negative."""
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


def _postings(found: dict[str, list[int]]) -> dict[str, np.ndarray]:
    return {key: np.array(rows, dtype=np.int32) for key, rows in found.items()}


class OverlapIndex:
    """Every candidate's name, name trigrams and words, with posting lists (the rows holding
    each trigram or word) to sum each part of the score over all candidates at once."""

    def __init__(self, candidates):
        """`candidates`: (kind, name, description, key[, named]) per row; key is a group's
        slug or a proposal's reference; named (default True) says whether the public may
        see the name."""
        self.kinds: list[str] = []
        self.names: list[str] = []
        self.keys: list[str] = []
        self.named: list[bool] = []
        trigram_rows: dict[str, list[int]] = {}
        word_rows: dict[str, list[int]] = {}
        # The rows under each name's compact key, and under each acronym it may be known by.
        compact_rows: dict[str, list[int]] = {}
        acronym_rows: dict[str, list[int]] = {}
        name_sizes = []
        for row, (kind, name, description, key, *named) in enumerate(candidates):
            self.named.append(bool(named[0]) if named else True)
            self.kinds.append(kind)
            self.names.append(name)
            self.keys.append(key)
            name_trigrams = set(trigrams(name))
            name_sizes.append(len(name_trigrams))
            for trigram in name_trigrams:
                trigram_rows.setdefault(trigram, []).append(row)
            for word in terms(f"{name} {description or ''}"):
                word_rows.setdefault(word, []).append(row)
            compact, acronyms = name_keys(name)
            if compact:
                compact_rows.setdefault(compact, []).append(row)
            for acronym in acronyms:
                acronym_rows.setdefault(acronym, []).append(row)
        self.size = len(self.names)
        self.name_sizes = np.array(name_sizes, dtype=np.float64)
        self.trigram_rows = _postings(trigram_rows)
        self.word_rows = _postings(word_rows)
        self.compact_rows = _postings(compact_rows)
        self.acronym_rows = _postings(acronym_rows)
        self.row_of_reference = {
            key: row for row, key in enumerate(self.keys) if self.kinds[row] == "proposal"
        }
        # Each row's place among equal scores: listed groups before proposals, then by name.
        by_name = sorted(
            range(self.size),
            key=lambda row: (self.kinds[row] != "group", self.names[row].casefold()),
        )
        self.tie_order = np.empty(self.size, dtype=np.int64)
        self.tie_order[by_name] = np.arange(self.size)

    def _name_parts(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """Plain similarity of every name to the query (exact: pg_trgm's similarity is a
        ratio of counts), and a bound on word similarity (shared trigrams over the query's:
        the stretch it finds shares no more than the whole name)."""
        wanted = set(trigrams(query))
        shared = np.zeros(self.size)
        for trigram in wanted:
            rows = self.trigram_rows.get(trigram)
            if rows is not None:
                shared[rows] += 1
        if not wanted:
            return shared, shared
        plain = shared / np.maximum(len(wanted) + self.name_sizes - shared, 1)
        return plain, shared / len(wanted)

    def _same_name_rows(self, name: str) -> list[np.ndarray]:
        """The rows whose name a person would read as `name` (overlap_text.name_keys): the
        same compact key, or one name's compact key the other's acronym."""
        compact, acronyms = name_keys(name)
        found = [self.compact_rows.get(compact), self.acronym_rows.get(compact)]
        found += [self.compact_rows.get(acronym) for acronym in acronyms]
        return [rows for rows in found if rows is not None]

    def _shared_words(self, text: str) -> np.ndarray:
        """Per candidate, the weighted share of the text's words it uses too."""
        shared = np.zeros(self.size)
        total = 0.0
        for word in terms(text):
            rows = self.word_rows.get(word)
            weight = rarity(documents=self.size, containing=0 if rows is None else len(rows))
            total += weight
            if rows is not None:
                shared[rows] += weight
        return shared / total if total else shared

    def search(
        self,
        *,
        query: str,
        text: str,
        exclude_reference: str = "",
        limit: int = LIMIT,
        name: str = "",
    ) -> list[tuple[int, float]]:
        """(row, score) of the best `limit` candidates scoring at least THRESHOLD, best
        first: the same list as scoring every candidate exactly. A candidate whose name is
        `name` written another way (spacing, digits, an acronym) has a full name score."""
        if not self.size:
            return []
        plain, word_bound = self._name_parts(query)
        plain, word_bound = plain.copy(), word_bound.copy()
        for rows in self._same_name_rows(name):
            plain[rows] = word_bound[rows] = 1.0
        shared_words = self._shared_words(text)
        bound = NAME_WEIGHT * np.maximum(plain, word_bound) + WORDS_WEIGHT * shared_words
        excluded = self.row_of_reference.get(exclude_reference)
        if excluded is not None:
            bound[excluded] = -1.0
        # Scores are rounded: a bound a rounding step below THRESHOLD may still round up to it.
        slack = 0.5 * 10**-DECIMALS
        rows = np.flatnonzero(bound >= THRESHOLD - slack)
        # Highest bound first, and among equal bounds in the order ties are listed.
        rows = rows[np.lexsort((self.tie_order[rows], -bound[rows]))]
        best: list[tuple[tuple, int, float]] = []
        for row in rows.tolist():
            if len(best) >= limit:
                last_rank, _, last_score = best[-1]
                if bound[row] + slack + 1e-9 < last_score:
                    break  # no candidate left can reach the list
                if bound[row] < last_score + slack - 1e-9 and self.tie_order[row] > last_rank[1]:
                    continue  # at best a tie with the last, which it would follow
            score = combined_score(
                name_word=word_similarity(query, self.names[row]) if word_bound[row] else 0.0,
                name_plain=float(plain[row]),
                shared_words=float(shared_words[row]),
            )
            if score >= THRESHOLD:
                best.append((self._rank(row, score), row, score))
                best.sort()
                del best[limit:]
        return [(row, score) for _rank, row, score in best]

    def _rank(self, row: int, score: float) -> tuple:
        # Best first; at equal scores listed groups before proposals, then by name.
        return (-score, int(self.tie_order[row]))


def _candidates():
    """(kind, name, description, key, named) of every listed group and open proposal."""
    groups = Meetup.objects.listed().order_by().values_list("name", "description", "slug")
    proposals = (
        Proposal.objects.filter(state__in=OVERLAP_STATES)
        .order_by()
        .values_list("name", "description", "reference", "shares_name_with_similar")
    )
    for name, description, slug in groups.iterator(chunk_size=2000):
        yield "group", name, description, slug, True
    for name, description, reference, named in proposals.iterator(chunk_size=2000):
        yield "proposal", name, description, reference, named


def _candidates_version() -> tuple:
    """Changes whenever a listed group or an open proposal is added, removed or edited: the
    directory's version, and how many open proposals there are and when one last changed."""
    open_proposals = Proposal.objects.filter(state__in=OVERLAP_STATES).aggregate(
        count=Count("id"), changed=Max("updated_at"), last=Max("id")
    )
    return directory_state()[0], *open_proposals.values()


# This process's index: (checked at, version, index).
_lock = threading.Lock()
_kept: tuple[float, tuple, OverlapIndex] | None = None


def current_index() -> OverlapIndex:
    """The index of the candidates as they are, rebuilt when they have changed; the version
    is read at most once every OVERLAP_RECHECK_SECONDS."""
    global _kept
    with _lock:
        kept = _kept
        now = time.monotonic()
        if kept is not None and now - kept[0] < settings.OVERLAP_RECHECK_SECONDS:
            return kept[2]
        version = _candidates_version()
        if kept is not None and kept[1] == version:
            _kept = (now, version, kept[2])
            return kept[2]
        index = OverlapIndex(_candidates())
        # The interval runs from the end of a build: a long one (100,000 open proposals) is
        # not followed at once by another look at the version.
        _kept = (time.monotonic(), version, index)
        return index


def forget_index() -> None:
    """The next check reads the candidates' version again (a change in this process, or a
    test's rollback)."""
    global _kept
    with _lock:
        _kept = None


def candidates_changed(sender, instance, **kwargs):
    if sender is Proposal and instance.state == State.DRAFT:
        return  # a draft is never a candidate (its organizers save it as they write)
    # Forgotten now, for this transaction's own reads, and again at commit, in case the
    # index was rebuilt in between from rows that were not yet committed.
    forget_index()
    transaction.on_commit(forget_index)


def connect() -> None:
    """Called by IntakeConfig.ready(). Other processes see a change within
    OVERLAP_RECHECK_SECONDS, from the candidates' version."""
    for model in (Proposal, Meetup):
        label = model._meta.label_lower
        post_save.connect(candidates_changed, sender=model, dispatch_uid=f"overlap-{label}-saved")
        post_delete.connect(
            candidates_changed, sender=model, dispatch_uid=f"overlap-{label}-deleted"
        )


def find_overlaps(
    *, name: str, description: str = "", exclude_reference: str = "", limit: int = LIMIT
) -> list[Match]:
    """The listed groups and open proposals most like this name and description, best
    first, each scoring at least THRESHOLD. `exclude_reference` leaves out the proposal
    being compared (on its own pages)."""
    name = (name or "")[:MAX_QUERY_CHARS]
    description = (description or "")[:MAX_QUERY_CHARS]
    query = name_query(name)
    text = f"{name} {description}"
    if not query and not terms(text):
        return []
    index = current_index()
    found = index.search(
        query=query, text=text, exclude_reference=exclude_reference, limit=limit, name=name
    )
    matches = []
    for row, score in found:
        kind, key = index.kinds[row], index.keys[row]
        is_group = kind == "group"
        matches.append(
            Match(
                kind=kind,
                name=index.names[row],
                score=score,
                url=Meetup(slug=key).get_absolute_url() if is_group else "",
                reference="" if is_group else key,
                named=index.named[row],
            )
        )
    return matches
