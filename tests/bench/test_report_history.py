"""The report scenario's ten years of history (bench.report_history), at a small size: the
report reads it whole, every proposal counted once, and a second fill adds nothing."""

import pytest

from bench.report_history import grow_group_history, grow_proposal_history
from intake.models import Proposal, ProposalTransition
from reports import report, services
from reports.periods import CALENDAR, Period

pytestmark = pytest.mark.django_db


def test_the_history_fills_ten_years_that_the_report_counts_once():
    assert grow_proposal_history(200) == 200
    assert grow_group_history(5) == 5
    transitions = ProposalTransition.objects.count()
    assert grow_proposal_history(200) == 200 and grow_group_history(5) == 5
    assert ProposalTransition.objects.count() == transitions  # nothing added twice
    rows = report.all_public_rows(CALENDAR)
    received = [
        r["value"] for r in rows if r["measure"] == "proposals_received" and r["quarter"] == "year"
    ]
    # Ten years are covered, from January 1 nine years ago: the oldest of the ten years of
    # history (365 days each, back from today) fall before it.
    first = Period(CALENDAR, services.first_year(basis=CALENDAR)).start
    assert len(received) == 10
    assert sum(received) == Proposal.objects.filter(submitted_at__gte=first).count() > 150
    answered = [
        r["value"] for r in rows if r["measure"] == "check_ins_answered" and r["quarter"] == "year"
    ]
    assert sum(answered) > 0
