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


@pytest.mark.django_db
def test_home_page_lists_the_groups_by_name_as_the_directory_does(client):
    for position, name in enumerate(["Zine Makers", "anime in Libraries", "Board Gamers"]):
        Meetup.objects.create(name=name, slug=f"g-{position}", position=position)
    # The home page lists the coming meetings instead of every group (issue 25).
    for path in ("/meetups/",):
        html = client.get(path).content.decode()
        assert (
            html.index("anime in Libraries")
            < html.index("Board Gamers")
            < html.index("Zine Makers")
        ), path
