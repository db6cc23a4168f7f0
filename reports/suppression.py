"""Small counts that could point at a person ("one proposal was declined in Q2") are shown as
"fewer than 5" in the public report, its charts and its files alike.

A sensitive count from 1 to 4 is hidden; then, again and again until none does, every
subtraction of figures shown is tried: a row's total less its parts (received less the
outcomes, decisions made less the approvals and declines) and a year less its quarters,
also with what an earlier subtraction gave back. Where one gives a hidden figure back, a
second figure of that line is hidden with it: the smallest other part of a row, or the
year of a column (the smallest quarter when the year is hidden already)."""

from .figures import DECISION_MEASURES, OUTCOMES, YEAR
from .measures import BY_KEY, SUPPRESS_BELOW

OUTCOME_MEASURES = [*OUTCOMES.values(), "proposals_open"]
# Each row's total and the parts that add up to it.
ROWS = [
    ("proposals_received", OUTCOME_MEASURES),
    ("decisions_made", list(DECISION_MEASURES.values())),
]
# Decisions made is hidden with its parts: it, less the approvals of the proposals received
# (shown), would give the declines back.
HIDDEN_WITH_PARTS = {"decisions_made": list(DECISION_MEASURES.values())}


def _small(value) -> bool:
    return isinstance(value, int) and 0 < value < SUPPRESS_BELOW


def _lines(values: dict, quarters: list[str]) -> list[tuple[tuple, list[tuple]]]:
    """(total cell, part cells) of every sum the table holds: rows, then columns."""
    lines = []
    for quarter in [*quarters, YEAR]:
        for total, parts in ROWS:
            cells = [(quarter, m) for m in parts if (quarter, m) in values]
            if (quarter, total) in values and cells:
                lines.append(((quarter, total), cells))
    for measure in [m for total, parts in ROWS for m in (total, *parts)]:
        cells = [(q, measure) for q in quarters if (q, measure) in values]
        if (YEAR, measure) in values and cells:
            lines.append(((YEAR, measure), cells))
    return lines


def _first_given_back(values: dict, hidden: set, lines) -> tuple | None:
    """The first line whose subtraction gives a hidden figure back, only from figures
    shown, once every other subtraction that can has been made; or None."""
    known = {cell for cell in values if cell not in hidden}
    progress = True
    while progress:
        progress = False
        for total, parts in lines:
            line = [total, *parts]
            unknown = [cell for cell in line if cell not in known]
            if len(unknown) == 1:
                if all(cell not in hidden for cell in line if cell != unknown[0]):
                    return total, parts
                known.add(unknown[0])
                progress = True
    if known & hidden:
        # Only a chain gives it back: break its first link, made of figures shown alone.
        known = {cell for cell in values if cell not in hidden}
        for total, parts in lines:
            if sum(cell not in known for cell in [total, *parts]) == 1:
                return total, parts
    return None


def _second(values: dict, hidden: set, total: tuple, parts: list[tuple]) -> tuple:
    """The figure to hide with a line's one hidden figure."""
    shown_parts = [cell for cell in parts if cell not in hidden]
    if total[0] == YEAR and total[1] == parts[0][1]:  # a column: its year first
        if total not in hidden:
            return total
        return min(shown_parts, key=lambda c: (values[c] or 0, c))
    if shown_parts:  # a row: its smallest other part
        return min(shown_parts, key=lambda c: (values[c] or 0, c[1]))
    return total


def hidden_cells(rows: list[dict]) -> set[tuple[str, str]]:
    """The (quarter, measure) cells of one year's rows to show as "fewer than 5"."""
    values = {(r["quarter"], r["measure"]): r["value"] for r in rows}
    hidden = {cell for cell, value in values.items() if BY_KEY[cell[1]].sensitive and _small(value)}
    quarters = sorted({q for q, _m in values if q != YEAR})
    lines = _lines(values, quarters)
    while True:
        for total, parts in HIDDEN_WITH_PARTS.items():
            for quarter in [*quarters, YEAR]:
                if (quarter, total) in values and any((quarter, m) in hidden for m in parts):
                    hidden.add((quarter, total))
        line = _first_given_back(values, hidden, lines)
        if line is None:
            return hidden
        hidden.add(_second(values, hidden, *line))
