"""'Find my links' emails greet their reader by the name the program holds for them, never
by their address's local part ("Hello jane.doe,")."""

import pytest

from intake import services
from meetups.models import GroupContact
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def _body(kind):
    return Notification.objects.get(kind=kind).body_text


def test_find_my_links_greets_an_organizer_by_the_name_on_their_proposal():
    proposal, _token = factories.draft(organizer_emails=["jane.doe@example.org", "b@example.org"])
    name = proposal.organizers.get(email="jane.doe@example.org").name
    services.email_access_links(email="Jane.Doe@example.org")
    text = _body(Kind.ACCESS_LINKS)
    assert text.startswith(f"Hello {name},"), text[:60]
    assert "jane.doe," not in text


def test_find_my_links_greets_a_group_organizer_by_name_and_a_stranger_neutrally():
    group = factories.meetup()
    GroupContact.objects.create(meetup=group, name="Jane Doe", email="jane.doe@example.org")
    services.email_access_links(email="jane.doe@example.org")
    assert _body(Kind.GROUP_LINKS).startswith("Hello Jane Doe,")

    GroupContact.objects.filter(email="jane.doe@example.org").update(name="")
    Notification.objects.all().delete()
    services.email_access_links(email="jane.doe@example.org")
    text = _body(Kind.GROUP_LINKS)
    assert text.startswith("Hello there,"), text[:60]
    assert "jane.doe" not in text.splitlines()[0]
