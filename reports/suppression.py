"""Small counts that could point at a person ("one proposal was declined in Q2") are shown as
"fewer than 5" in the public report, its charts and its files alike.

A sensitive count from 1 to 4 is hidden. So that no subtraction gives it back (received minus
the other outcomes), each hidden outcome in a quarter or a year takes a second outcome of the
same row with it, the smallest; and a year's total is hidden when exactly one quarter of it is
(the total minus the other quarters would give that quarter)."""

from collections import defaultdict

from .figures import DECISION_MEASURES, OUTCOMES, YEAR
from .measures import BY_KEY, SUPPRESS_BELOW

OUTCOME_MEASURES = [*OUTCOMES.values(), "proposals_open"]
# The parts of a row that add up to a shown total: received = the outcomes, and decisions
# made = approvals + declines. One hidden part takes a second with it.
PARTS = [OUTCOME_MEASURES, list(DECISION_MEASURES.values())]
# Decisions made is hidden with its parts: it, less the approvals of the proposals received
# (shown), would give the declines back.
HIDDEN_WITH_PARTS = {"decisions_made": list(DECISION_MEASURES.values())}


def _small(value) -> bool:
    return isinstance(value, int) and 0 < value < SUPPRESS_BELOW


def hidden_cells(rows: list[dict]) -> set[tuple[str, str]]:
    """The (quarter, measure) cells of one year's rows to show as "fewer than 5"."""
    values = {(r["quarter"], r["measure"]): r["value"] for r in rows}
    hidden = {cell for cell, value in values.items() if BY_KEY[cell[1]].sensitive and _small(value)}
    quarters = sorted({q for q, _m in values if q != YEAR})

    def complete(quarter):
        for parts in PARTS:
            mine = [m for m in parts if (quarter, m) in hidden]
            if len(mine) == 1:
                others = [m for m in parts if m not in mine and (quarter, m) in values]
                if others:
                    smallest = min(others, key=lambda m: (values[(quarter, m)] or 0, m))
                    hidden.add((quarter, smallest))
        for total, parts in HIDDEN_WITH_PARTS.items():
            if (quarter, total) in values and any((quarter, m) in hidden for m in parts):
                hidden.add((quarter, total))

    for quarter in quarters:
        complete(quarter)
    per_measure = defaultdict(int)
    for quarter, measure in hidden:
        if quarter != YEAR:
            per_measure[measure] += 1
    for measure, count in per_measure.items():
        if count == 1 and (YEAR, measure) in values:
            hidden.add((YEAR, measure))
    complete(YEAR)
    return hidden
