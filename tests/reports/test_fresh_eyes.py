"""What a new user found trying the report with fresh eyes (issue 26, second pass)."""

import csv
import io
import json
from collections import Counter

import pytest

from tests import factories

from .history import script

pytestmark = pytest.mark.django_db


def _keys(rows, year="year", quarter="quarter", measure="measure", subject=None):
    return Counter((r[year], r[quarter], r[measure], r[subject] if subject else "") for r in rows)


def test_every_file_has_one_row_per_year_quarter_and_measure(client, monkeypatch, settings):
    script(monkeypatch, settings)
    files = {}
    for query in ("?basis=calendar&year=2025", "?basis=calendar"):
        text = client.get("/report/data.csv" + query).content.decode()
        files["csv" + query] = list(csv.DictReader(io.StringIO(text)))
        files["json" + query] = json.loads(client.get("/report/data.json" + query).content)["rows"]
    client.force_login(factories.staff_user(role="reviewer"))
    text = client.get("/reviews/report/data.csv?basis=calendar&year=2025").content.decode()
    staff_rows = list(csv.DictReader(io.StringIO(text)))
    for name, rows in files.items():
        twice = [key for key, n in _keys(rows).items() if n > 1]
        assert not twice, (name, twice)
    twice = [key for key, n in _keys(staff_rows, subject="subject").items() if n > 1]
    assert not twice, twice
    assert any(r["measure"] == "check_ins_answered" for r in staff_rows)


def test_sentences_word_hidden_figures_readably_and_say_when_nothing_was_received():
    from reports import sentences

    year = {
        "proposals_received": 9,
        "proposals_approved": 5,
        "proposals_declined": "fewer than 5",
        "proposals_withdrawn": "withheld",
        "proposals_open": "withheld",
        "decisions_made": "withheld",
        "decisions_approved": 5,
        "decisions_declined": "fewer than 5",
    }
    text = sentences.proposals_summary("2027", year)
    assert text == (
        "In 2027 the program received 9 proposals: 5 approved and fewer than 5 declined (some "
        "figures are withheld so that small numbers of declined proposals cannot be worked out)."
    )
    text = sentences.decisions_summary("2027", year)
    assert "withheld decisions" not in text
    assert text.startswith("In 2027 staff made decisions: 5 approvals and fewer than 5 declines")
    empty = dict.fromkeys(year, 0)
    assert sentences.proposals_summary("2027", empty) == "No proposals were received in 2027."
