"""The staff group page shows each person's true status: invited on DATE (whatever email
carried their link: the approval, an organizer's welcome, a staff invitation, "find my
links"), confirmed once they opened the page, or not yet invited."""

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from intake import services as intake_services
from intake.models import State
from meetups import access
from meetups.models import Meetup
from tests import factories
from tests.sign_in import sign_in_fully

pytestmark = pytest.mark.django_db


def _status(client, group, person) -> str:
    page = client.get(f"/reviews/groups/{group.slug}/").content.decode()
    start = page.index(f"{person.name} &lt;{person.email}&gt;")
    return page[start : page.index("</li>", start)]


def test_people_emailed_their_link_show_as_invited_and_those_who_opened_it_as_confirmed(
    client,
):
    proposal, _ = factories.proposal_in_state(State.APPROVED)
    group = Meetup.objects.get(proposal=proposal)
    first, second = group.contacts.all()
    today = date_format(timezone.localdate())
    imported = group.contacts.create(name="Ivy Imported", email="ivy@example.org", position=5)
    # An organizer adds someone: their welcome email carries their link.
    link = access.issue_group_link(contact=first)
    client.get(f"/groups/{link}/")  # the first organizer opens the page
    client.post(f"/groups/{link}/organizers/", {"name": "Mal New", "email": "mal@example.org"})
    mal = group.contacts.get(email="mal@example.org")

    sign_in_fully(client, factories.staff_user(role="manager"))
    assert f"Invited on {today}" in _status(client, group, second)  # the approval email
    assert "Confirmed" in _status(client, group, first)
    assert f"Invited on {today}" in _status(client, group, mal)
    assert "Not yet invited" in _status(client, group, imported)
    for person in (first, second, mal, imported):
        assert "Not invited" not in _status(client, group, person)

    # "Find my links" emails Ivy her link too.
    intake_services.email_access_links(email="ivy@example.org")
    assert f"Invited on {today}" in _status(client, group, imported)
