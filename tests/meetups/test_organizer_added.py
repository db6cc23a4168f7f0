"""Adding an organizer tells the group's other current organizers (who added whom), and the
organizers' private page and the staff group page say who added each person: a removed
organizer can no longer keep a way in through a second address of their own unnoticed."""

import pytest

from intake.models import State
from meetups import access
from meetups.models import Meetup
from notifications.models import Kind, Notification
from tests import factories
from tests.sign_in import sign_in_fully

pytestmark = pytest.mark.django_db


def _group():
    proposal, _ = factories.proposal_in_state(State.APPROVED)
    group = Meetup.objects.get(proposal=proposal)
    group.contacts.create(name="Carla Third", email="carla@example.org", position=9)
    return group


def _page(contact) -> str:
    return f"/groups/{access.issue_group_link(contact=contact)}/"


def test_the_other_organizers_hear_who_added_whom(client):
    group = _group()
    adder, *others = list(group.contacts.all())
    Notification.objects.all().delete()  # the approval's emails
    client.post(_page(adder) + "organizers/", {"name": "Mal Second", "email": "mal2@example.org"})

    told = Notification.objects.filter(kind=Kind.GROUP_ORGANIZER_ADDED)
    assert sorted(n.recipient for n in told) == sorted(o.email for o in others)
    # The new person gets their welcome, the adder (who knows) nothing more.
    assert list(
        Notification.objects.filter(kind=Kind.GROUP_WELCOME).values_list("recipient", flat=True)
    ) == ["mal2@example.org"]
    assert not Notification.objects.filter(recipient=adder.email).exists()
    email = told.get(recipient="carla@example.org")
    text = email.body_text
    assert text.startswith("Hello Carla Third,")
    assert f"{adder.name} added Mal Second (mal2@example.org)" in text
    assert "Mal Second" in email.subject
    assert "remove" in text and "@@group-link:" in text
    assert "To reach program staff" in text


def test_both_group_pages_say_who_added_each_person(client):
    group = _group()
    adder = group.contacts.first()
    client.post(_page(adder) + "organizers/", {"name": "Mal Second", "email": "mal2@example.org"})
    carla = group.contacts.get(email="carla@example.org")
    page = client.get(_page(carla) + "organizers/").content.decode()
    assert "Mal Second" in page
    assert f"added by {adder.name}" in page

    # The name stays after the adder is removed (their additions who opened the page stay).
    mal = group.contacts.get(email="mal2@example.org")
    client.get(_page(mal))  # Mal opens the page, so stays when the adder goes
    client.post(_page(carla) + "organizers/", {"remove": str(adder.pk), "confirm": "1"})
    manager = factories.staff_user(role="manager")
    sign_in_fully(client, manager)
    staff = client.get(f"/reviews/groups/{group.slug}/").content.decode()
    assert f"added by {adder.name}" in staff
