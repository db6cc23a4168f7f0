"""An addition is announced to every organizer who has opened their page (sec22d): an
organizer who used up a co-organizer's emails for the day with filler additions cannot
then add a second address of their own unannounced; the addition is refused, plainly,
and nothing changes."""

import pytest
from django.test import Client

from meetups.models import GroupContact
from notifications.models import Kind, Notification
from tests.meetups.test_access_kept import _group_with_three_organizers, _page

pytestmark = pytest.mark.django_db


def test_an_addition_the_others_cannot_be_told_of_is_refused(settings):
    settings.GROUP_EMAILS_PER_DAY = 100
    settings.GROUP_EMAILS_PER_RECIPIENT_PER_DAY = 3
    group = _group_with_three_organizers()
    attacker, victim = list(group.contacts.order_by("position"))[:2]
    assert Client().get(_page(victim)).status_code == 200  # the victim opened their page
    attackers_page = _page(attacker)
    for n in range(3):  # fillers use up the victim's emails for the day
        response = Client().post(
            attackers_page + "organizers/", {"name": f"Filler {n}", "email": f"f{n}@example.org"}
        )
        assert response.status_code == 302
    assert (
        Notification.objects.filter(kind=Kind.GROUP_ORGANIZER_ADDED, recipient=victim.email).count()
        == 3
    )
    before = Notification.objects.count()

    response = Client().post(
        attackers_page + "organizers/", {"name": "Second Me", "email": "second@example.org"}
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "used up for today" in text
    assert "program staff" in text
    assert not GroupContact.objects.filter(email="second@example.org").exists()
    assert Notification.objects.count() == before
    assert not Notification.objects.filter(recipient="second@example.org").exists()


def test_an_addition_everyone_can_be_told_of_goes_through(settings):
    settings.GROUP_EMAILS_PER_DAY = 100
    group = _group_with_three_organizers()
    attacker, victim = list(group.contacts.order_by("position"))[:2]
    assert Client().get(_page(victim)).status_code == 200
    response = Client().post(
        _page(attacker) + "organizers/", {"name": "New One", "email": "new@example.org"}
    )
    assert response.status_code == 302
    assert Notification.objects.filter(
        kind=Kind.GROUP_ORGANIZER_ADDED, recipient=victim.email
    ).exists()
