"""The review page costs the same few queries however many proposals and groups exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import State
from meetups.models import Meetup
from tests import factories


@pytest.fixture
def reviewer_client(client):
    client.force_login(factories.staff_user(role="reviewer", email="rev@council.example.org"))
    return client


def _detail_queries(client, proposal) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/reviews/{proposal.reference}/")
    assert response.status_code == 200
    return len(captured), [q["sql"] for q in captured.captured_queries]


def _more_of_everything(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        factories.proposal_in_state(State.SUBMITTED, name=f"Circle {i} of readers")
        Meetup.objects.create(name=f"Listed group {i}", slug=f"listed-group-{i}")


@pytest.mark.django_db
def test_review_page_queries_do_not_grow_with_proposals_and_groups(reviewer_client):
    proposal, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine makers")
    _more_of_everything(3)
    small, _ = _detail_queries(reviewer_client, proposal)
    _more_of_everything(30, start=3)
    large, sql = _detail_queries(reviewer_client, proposal)
    assert large == small, "\n".join(sql)
    assert small <= 20, "\n".join(sql)
