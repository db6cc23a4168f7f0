"""Small counts that could point at a person ("one proposal was declined in Q2") are shown as
"fewer than 5" in the public report, its charts and its files alike.

The figures form two tables whose lines add up: proposals received = approved + declined +
withdrawn + still under consideration, decisions made = approvals + declines, in each
quarter's column and the year's, and each measure's year = the sum of its quarters. A
reader can work a hidden figure out from any of these sums, alone or together, so:

1. A sensitive count from 1 to 4 is hidden and reads "fewer than 5" (the reader then knows it
   is 1 to 4, no more).
2. Every other figure hidden reads "withheld", whatever its value (0, 1 to 4, or more): saying
   "fewer than 5" of it would tell its range.
3. A hidden small count is safe when it can be one more or one less while every sum still
   holds: some "rectangle" of hidden figures (two lines of the table, two columns) can
   change together, +1 and -1 (two parts, two quarters) or +1 each (a part and its total,
   a quarter and the year), every one staying within what it reads (1 to 4, or 0 and more).
   Then no arithmetic on what is shown can single it out.
4. Again and again until every hidden small count is safe: for the first that is not, the
   rectangle through it needing the fewest figures hidden besides is chosen (preferring
   withdrawn and still-under-consideration figures, then totals and the year's, approvals
   last), and those are hidden too, reading "withheld". Hiding a total and the year's with
   the count always works, so this ends.
5. Decisions made is hidden with a small number of declines in its column: less the
   approvals of the proposals received (often the same figure) it would give them away.
6. A figure in a line whose total is 0 is never hidden: everything there is visibly 0.
"""

from .figures import DECISION_MEASURES, OUTCOMES, YEAR
from .measures import BY_KEY, SUPPRESS_BELOW, SUPPRESSED, WITHHELD

OUTCOME_MEASURES = [*OUTCOMES.values(), "proposals_open"]
# Each table's total and the parts that add up to it.
ROWS = [
    ("proposals_received", OUTCOME_MEASURES),
    ("decisions_made", list(DECISION_MEASURES.values())),
]
HIDDEN_WITH_TOTAL = {"decisions_declined": "decisions_made"}
# Hidden last, when another figure does as well: approvals are no one's secret but are read
# first; totals and the year's figures say the most.
COST = {"proposals_approved": 3, "decisions_approved": 3}
TOTAL_COST = 4


def _small(value) -> bool:
    return isinstance(value, int) and 0 < value < SUPPRESS_BELOW


def _moves(total: str, parts: list[str], quarters: list[str]):
    """Every rectangle move of one table: {cell: change}, keeping every sum."""
    measures = [*parts, total]
    columns = [*quarters, YEAR]

    def pairs(items, last):
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                yield {a: 1, b: 1} if b == last else {a: 1, b: -1}

    for rows in pairs(measures, total):
        for cols in pairs(columns, YEAR):
            move = {(q, m): r * c for m, r in rows.items() for q, c in cols.items()}
            yield move
            yield {cell: -change for cell, change in move.items()}


def _fits(value, label, change) -> bool:
    new = value + change
    return 0 < new < SUPPRESS_BELOW if label == SUPPRESSED else new >= 0


def _empty(values: dict, cell: tuple, total: str) -> bool:
    """Whether the cell's column or line adds up to 0 (all of it visibly 0)."""
    quarter, measure = cell
    return values.get((quarter, total)) == 0 or values.get((YEAR, measure)) == 0


def hidden_labels(rows: list[dict]) -> dict[tuple[str, str], str]:
    """{(quarter, measure): "fewer than 5" or "withheld"} for one year's hidden cells."""
    values = {(r["quarter"], r["measure"]): r["value"] for r in rows}
    labels = {
        cell: SUPPRESSED
        for cell, value in values.items()
        if BY_KEY[cell[1]].sensitive and _small(value)
    }
    # Decisions made is hidden with a small number of declines: less the approvals of the
    # proposals received (another table, often the same figure) it would give them away.
    for quarter, measure in list(labels):
        if measure in HIDDEN_WITH_TOTAL:
            labels[(quarter, HIDDEN_WITH_TOTAL[measure])] = WITHHELD
    quarters = sorted({q for q, _m in values if q != YEAR})
    tables = [
        (total, parts, [m for m in _moves(total, parts, quarters) if set(m) <= set(values)])
        for total, parts in ROWS
    ]
    while True:
        unsafe = None
        for total, parts, moves in tables:
            for cell in sorted(c for c, label in labels.items() if label == SUPPRESSED):
                if cell[1] not in parts:
                    continue
                through = [m for m in moves if cell in m]
                if not any(
                    all(c in labels and _fits(values[c], labels[c], d) for c, d in m.items())
                    for m in through
                ):
                    unsafe = (total, cell, through)
                    break
            if unsafe:
                break
        if unsafe is None:
            return labels
        total, cell, through = unsafe
        best = None
        for move in through:
            new = [c for c in move if c not in labels]
            if any(
                _empty(values, c, total) or not _fits(values[c], WITHHELD, move[c]) for c in new
            ):
                continue
            if not all(_fits(values[c], labels[c], move[c]) for c in move if c in labels):
                continue
            cost = (
                len(new),
                sum(COST.get(m, TOTAL_COST if m == total or q == YEAR else 0) for q, m in new),
                sum(values[c] or 0 for c in new),
                sorted(new),
            )
            if best is None or cost < best[0]:
                best = (cost, new)
        if best is None or not best[1]:  # cannot happen: a total and the year's always do
            return labels
        for new_cell in best[1]:
            labels[new_cell] = WITHHELD


def hidden_cells(rows: list[dict]) -> set[tuple[str, str]]:
    """The (quarter, measure) cells of one year's rows hidden from the public."""
    return set(hidden_labels(rows))
