"""Issue 23: program managers list every group (a state filter and a name search) and see
the imported groups nobody keeps, with nobody to invite."""

import re

import pytest

from meetups import services as meetup_services
from meetups.models import GroupContact
from tests import factories

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/reviews/groups/[^"]+/">([^<]+)</a>', html)


@pytest.fixture
def manager(client):
    client.force_login(factories.staff_user(role="manager"))
    return client


def test_every_group_with_a_state_filter_and_a_search(manager):
    kept = factories.meetup(name="Comics Circle")
    GroupContact.objects.create(meetup=kept, name="Kim", email="kim@example.org")
    factories.meetup(name="Map Librarians")
    archived = factories.meetup(name="Comics Archive Group")
    meetup_services.archive_meetup(meetup=archived)

    everything = manager.get("/reviews/all-groups/").content.decode()
    assert _names(everything) == ["Comics Archive Group", "Comics Circle", "Map Librarians"]
    assert "3 groups" in everything
    comics = manager.get("/reviews/all-groups/", {"q": "comics"}).content.decode()
    assert _names(comics) == ["Comics Archive Group", "Comics Circle"]
    archived_only = manager.get("/reviews/all-groups/", {"state": "archived"}).content.decode()
    assert _names(archived_only) == ["Comics Archive Group"]
    nobody = manager.get("/reviews/all-groups/", {"nobody": "on", "q": "comics"}).content.decode()
    assert _names(nobody) == ["Comics Archive Group"]
    assert "Nobody yet" in nobody
    # A state that is not one is every state; a search that finds nothing says so.
    assert len(_names(manager.get("/reviews/all-groups/", {"state": "x"}).content.decode())) == 3
    assert (
        "No group matches." in manager.get("/reviews/all-groups/", {"q": "bees"}).content.decode()
    )


def test_the_dashboard_lists_imported_groups_with_nobody_to_invite(manager):
    kept = factories.meetup(name="Comics Circle")
    GroupContact.objects.create(meetup=kept, name="Kim", email="kim@example.org")
    factories.meetup(name="Map Librarians")
    html = manager.get("/reviews/groups/").content.decode()
    section = html.split("Imported groups with nobody to invite", 1)[1].split("<h2", 1)[0]
    assert "Map Librarians" in section and "Comics Circle" not in section
    assert 'href="/reviews/all-groups/"' in html


def test_reviewers_cannot_see_the_lists(client):
    client.force_login(factories.staff_user(role="reviewer"))
    assert client.get("/reviews/all-groups/").status_code == 403
