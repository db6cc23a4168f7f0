"""The home page lists the groups in a fixed number of queries, however many there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetups.models import Meetup


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_groups(client):
    for i in range(3):
        Meetup.objects.create(name=f"Group {i}", slug=f"group-{i}")
    small = _home_queries(client)
    for i in range(3, 40):
        Meetup.objects.create(name=f"Group {i}", slug=f"group-{i}")
    assert _home_queries(client) == small
