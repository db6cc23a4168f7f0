"""The queue's reply clock: each open proposal's promised date in words, not colour
alone, and an order that puts the most overdue first."""

import datetime
import re

import pytest
from django.utils import timezone

from intake.models import Proposal, State
from tests import factories


def _due_in(proposal, days: int):
    Proposal.objects.filter(pk=proposal.pk).update(
        reply_due=timezone.localdate() + datetime.timedelta(days=days)
    )


@pytest.fixture
def reviewer_client(client):
    client.force_login(factories.staff_user(role="reviewer"))
    return client


def _rows(html: str) -> list[str]:
    return re.findall(
        r"<tr>\s*<td><a href=\"/reviews/[^\"]+\">(MTG-[\d-]+)</a>.*?</tr>", html, re.S
    )


@pytest.mark.django_db
def test_clock_says_when_the_reply_is_due_in_words(reviewer_client):
    later, _ = factories.proposal_in_state(State.SUBMITTED)
    today, _ = factories.proposal_in_state(State.REVIEWED)
    late, _ = factories.proposal_in_state(State.SUBMITTED)
    waiting, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    _due_in(later, 3)
    _due_in(today, 0)
    _due_in(late, -2)
    # Every view: the default one holds only what waits for this reviewer's review.
    html = reviewer_client.get("/reviews/?view=all").content.decode()
    assert '<th scope="col">Reply due</th>' in html
    row = {
        p.reference: re.search(re.escape(p.reference) + r"</a>.*?</tr>", html, re.S).group(0)
        for p in (later, today, late, waiting)
    }
    assert "Due in 3 days" in row[later.reference]
    assert "Due today" in row[today.reference]
    assert '<strong class="clock-overdue">Overdue by 2 days</strong>' in row[late.reference]
    assert "Paused: waiting for the organizers" in row[waiting.reference]
    assert "Due" not in row[waiting.reference] and "Overdue" not in row[waiting.reference]


@pytest.mark.django_db
def test_queue_sorts_by_the_clock_most_overdue_first(reviewer_client):
    made = {}
    for days in (5, -3, 0, 12):
        proposal, _ = factories.proposal_in_state(State.SUBMITTED)
        _due_in(proposal, days)
        made[days] = proposal.reference
    decided, _ = factories.proposal_in_state(State.DECLINED)
    _due_in(decided, -30)  # its clock stopped: it waits for nobody
    html = reviewer_client.get("/reviews/?sort=due").content.decode()
    order = _rows(html)
    assert order == [made[-3], made[0], made[5], made[12], decided.reference]
    assert 'value="due" selected' in html and "Reply due soonest first" in html
