"""No subtraction of the figures shown gives back a hidden count: every row (received less
its outcomes, decisions made less approvals and declines) and every column (the year less
its quarters) is tried, again and again with whatever a subtraction has given back, on
many tables of small counts."""

import random

from reports.figures import DECISION_MEASURES, OUTCOMES, YEAR
from reports.suppression import hidden_cells

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
OUTCOME_PARTS = [*OUTCOMES.values(), "proposals_open"]
DECISION_PARTS = list(DECISION_MEASURES.values())
ROWS = [("proposals_received", OUTCOME_PARTS), ("decisions_made", DECISION_PARTS)]
COUNTS = [total for total, _parts in ROWS] + OUTCOME_PARTS + DECISION_PARTS


def _table(rng: random.Random, quarters: list[str]) -> dict:
    values = {}
    for quarter in quarters:
        for total, parts in ROWS:
            for measure in parts:
                values[(quarter, measure)] = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14])
            values[(quarter, total)] = sum(values[(quarter, m)] for m in parts)
    for measure in COUNTS:
        values[(YEAR, measure)] = sum(values[(q, measure)] for q in quarters)
    return values


def _lines(quarters: list[str]) -> list[list[tuple]]:
    """Each line is cells whose first is the sum of the others."""
    lines = []
    for quarter in [*quarters, YEAR]:
        for total, parts in ROWS:
            lines.append([(quarter, total)] + [(quarter, m) for m in parts])
    for measure in COUNTS:
        lines.append([(YEAR, measure)] + [(q, measure) for q in quarters])
    return lines


def _given_back(values: dict, hidden: set, lines) -> set:
    """The hidden cells some chain of subtractions of known figures gives back."""
    known = {cell for cell in values if cell not in hidden}
    found = True
    while found:
        found = False
        for line in lines:
            unknown = [cell for cell in line if cell not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                found = True
    return known & hidden


def test_no_subtraction_of_shown_figures_gives_back_a_hidden_count():
    rng = random.Random(26)
    for _attempt in range(400):
        quarters = QUARTERS[: rng.randint(1, 4)]
        values = _table(rng, quarters)
        rows = [{"quarter": q, "measure": m, "value": v} for (q, m), v in values.items()]
        hidden = hidden_cells(rows)
        small = {
            cell
            for cell, value in values.items()
            if cell[1] in ("proposals_declined", "proposals_withdrawn", "decisions_declined")
            and 0 < value < 5
        }
        assert small <= hidden, values
        given_back = _given_back(values, hidden, _lines(quarters))
        assert not given_back, (sorted(given_back), values)
