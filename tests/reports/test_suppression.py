"""No subtraction of the figures shown gives back a hidden count: every row (received less
its outcomes, decisions made less approvals and declines) and every column (the year less
its quarters) is tried, again and again with whatever a subtraction has given back, on
many tables of small counts."""

import random

from reports.figures import DECISION_MEASURES, OUTCOMES, YEAR
from reports.measures import SUPPRESSED, WITHHELD
from reports.suppression import hidden_cells, hidden_labels

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


# What a reader can work out from what is shown: every assignment of the hidden cells that
# agrees with the figures shown, the sums, "fewer than 5" (1 to 4) and "withheld" (0 or more).
PRIMARY = ("proposals_declined", "proposals_withdrawn", "decisions_declined")


def _equations(values: dict, shown: dict, lines) -> list[tuple[dict, int]]:
    """Each line as {hidden cell: coefficient} = constant (from the figures shown)."""
    equations = []
    for total, *parts in lines:
        terms, constant = {}, 0
        for coefficient, cell in [(1, total), *((-1, p) for p in parts)]:
            if cell in shown:
                constant -= coefficient * shown[cell]
            else:
                terms[cell] = terms.get(cell, 0) + coefficient
        if terms:
            equations.append((terms, constant))
    return equations


def _solvable(domains: dict, equations) -> bool:
    """Whether some whole numbers within `domains` satisfy every equation (bounds
    propagation, then trying each value of the narrowest cell)."""
    domains = dict(domains)
    changed = True
    while changed:
        changed = False
        for terms, constant in equations:
            for cell, coefficient in terms.items():
                low = high = constant
                for other, c in terms.items():
                    if other != cell:
                        lo, hi = domains[other]
                        low, high = low - max(c * lo, c * hi), high - min(c * lo, c * hi)
                lo, hi = domains[cell]
                bounds = sorted((low / coefficient, high / coefficient))
                new = (max(lo, -(-bounds[0] // 1)), min(hi, bounds[1] // 1))
                new = (int(new[0]), int(new[1]))
                if new[0] > new[1]:
                    return False
                if new != (lo, hi):
                    domains[cell], changed = new, True
    open_cells = [c for c, (lo, hi) in domains.items() if lo < hi]
    if not open_cells:
        return True
    cell = min(open_cells, key=lambda c: domains[c][1] - domains[c][0])
    lo, hi = domains[cell]
    return any(_solvable({**domains, cell: (v, v)}, equations) for v in range(lo, hi + 1))


def test_no_small_count_can_be_worked_out_from_everything_shown():
    """Item 1 of the second look: Q2 received 3, approved 1, declined and withdrawn "fewer
    than 5", open 0 gave both back as 1. Brute force over everything shown."""
    rng = random.Random(262)
    for _attempt in range(150):
        quarters = QUARTERS[: rng.randint(1, 3)]
        values = _table(rng, quarters)
        rows = [{"quarter": q, "measure": m, "value": v} for (q, m), v in values.items()]
        labels = hidden_labels(rows)
        shown = {cell: v for cell, v in values.items() if cell not in labels}
        bound = 2 * max(values.values()) + 5
        domains = {
            cell: (1, 4) if label == SUPPRESSED else (0, bound) for cell, label in labels.items()
        }
        equations = _equations(values, shown, _lines(quarters))
        for cell, value in values.items():
            if cell[1] in PRIMARY and 0 < value < 5:
                assert labels.get(cell) == SUPPRESSED, (cell, values)
                others = [
                    {**domains, cell: span}
                    for span in ((1, value - 1), (value + 1, 4))
                    if span[0] <= span[1]
                ]
                assert any(_solvable(d, equations) for d in others), (cell, labels, values)
        for cell, label in labels.items():
            if label == SUPPRESSED:
                assert cell[1] in PRIMARY and 0 < values[cell] < 5


def test_the_example_of_the_second_look_no_longer_gives_the_counts_back():
    values = {
        "proposals_received": 3,
        "proposals_approved": 1,
        "proposals_declined": 1,
        "proposals_withdrawn": 1,
        "proposals_open": 0,
    }
    rows = [
        {"quarter": q, "measure": m, "value": v} for q in ("Q2", YEAR) for m, v in values.items()
    ]
    labels = hidden_labels(rows)
    assert labels[("Q2", "proposals_declined")] == SUPPRESSED
    # Whatever else is hidden says "withheld", never "fewer than 5".
    assert {label for cell, label in labels.items() if cell[1] not in PRIMARY} <= {WITHHELD}
    # Nothing is hidden in a line whose total is 0.
    empty = [{"quarter": "Q1", "measure": m, "value": 0} for m in values]
    assert not hidden_labels(empty)
