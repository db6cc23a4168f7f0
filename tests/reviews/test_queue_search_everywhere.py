"""Issue 23, bug 3: a search or a status looks under every tab the reader may open, and each
tab says how many matches it holds, whichever tab the search was made from."""

import re

import pytest
from django.test import Client

from intake.models import State
from tests import factories


def _tabs(html: str) -> dict:
    found = re.findall(r'href="\?([^"]*)"[^>]*>[^<]+<span[^>]*>(\d+)</span>', html)
    return {re.search(r"view=(\w+)", query).group(1): int(count) for query, count in found}


def _references(html: str) -> set[str]:
    return set(re.findall(r'href="/reviews/(MTG-\d{4}-\d{4})/"', html))


@pytest.fixture
def reviewer_on_the_queue():
    client = Client()
    client.force_login(factories.staff_user(role="reviewer"))
    return client


@pytest.mark.django_db
def test_a_search_from_needs_my_action_finds_an_ended_proposal(reviewer_on_the_queue):
    ended, _ = factories.proposal_in_state(State.APPROVED, name="Code 4 Lib New York")
    waiting, _ = factories.proposal_in_state(State.SUBMITTED, name="Comics Circle")
    factories.proposal_in_state(State.SUBMITTED, name="Code Club")

    # The tab the reader was on, kept in the address: the count of each tab is its matches.
    html = reviewer_on_the_queue.get("/reviews/?view=action&q=Code+4+Lib").content.decode()
    assert _tabs(html) == {"action": 0, "open": 0, "ended": 1, "all": 1}
    assert "No proposals match" not in html
    assert re.search(r'href="\?view=ended&amp;q=Code\+4\+Lib">Ended \(1\)</a>', html)

    # The search form sends no tab: it searches everywhere and lists the match.
    found = reviewer_on_the_queue.get("/reviews/?q=Code+4+Lib&state=&sort=oldest")
    assert _references(found.content.decode()) == {ended.reference}
    assert "1 proposal" in found.content.decode()

    # Without a search the tabs count every proposal again.
    plain = reviewer_on_the_queue.get("/reviews/?view=action").content.decode()
    assert _tabs(plain) == {"action": 2, "open": 2, "ended": 1, "all": 3}
    assert waiting.reference in plain


@pytest.mark.django_db
def test_the_status_filter_counts_its_matches_under_each_tab(reviewer_on_the_queue):
    factories.proposal_in_state(State.APPROVED)
    factories.proposal_in_state(State.APPROVED)
    factories.proposal_in_state(State.SUBMITTED)
    html = reviewer_on_the_queue.get("/reviews/?view=action&state=approved").content.decode()
    assert _tabs(html) == {"action": 0, "open": 0, "ended": 2, "all": 2}
    assert "Matches under other tabs" in html
    ended = reviewer_on_the_queue.get("/reviews/?view=ended&state=approved").content.decode()
    assert len(_references(ended)) == 2 and "2 proposals" in ended
