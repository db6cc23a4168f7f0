"""Who keeps a group's page, and what its page may email: an organizer who is removed or
steps down takes back every offer and addition they made, so no second address of theirs
keeps a way in; and the emails a page sends to new people are bounded per group and per
address, the form saying so plainly."""

import re

import pytest

from intake.models import State
from meetups import access
from meetups.models import Handover, Meetup
from notifications import delivery as notification_services
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+(/groups/[A-Za-z0-9_-]+/[a-z-]*/?)")


def _group_with_three_organizers():
    proposal, _ = factories.proposal_in_state(State.APPROVED)
    group = Meetup.objects.get(proposal=proposal)
    for n in range(3 - group.contacts.count()):
        group.contacts.create(name=f"Extra {n}", email=f"extra{n}@example.org", position=9 + n)
    return group


def _page(contact) -> str:
    return f"/groups/{access.issue_group_link(contact=contact)}/"


def _sent_link(notification) -> str:
    return LINK.search(notification_services.build_email(notification).body).group(1)


@pytest.mark.parametrize("how", ["removed", "steps down"])
def test_a_removed_organizer_cannot_accept_their_own_handover(client, how):
    group = _group_with_three_organizers()
    mallory, colleague = list(group.contacts.all())[:2]
    mallorys_page = _page(mallory)
    client.post(
        mallorys_page + "handover/",
        {"successor_name": "Mallory Again", "successor_email": "mallory2@example.org"},
    )
    accept = _sent_link(Notification.objects.get(kind=Kind.GROUP_HANDOVER))
    if how == "removed":
        response = client.post(
            _page(colleague) + "organizers/", {"remove": str(mallory.pk), "confirm": "1"}
        )
    else:
        response = client.post(
            mallorys_page + "organizers/", {"remove": str(mallory.pk), "confirm": "1"}
        )
    assert response.status_code in (200, 302)
    assert not group.contacts.filter(pk=mallory.pk).exists()
    assert Handover.objects.get().status == Handover.Status.CANCELLED
    assert client.get(accept).status_code == 404
    client.post(accept, {"show_name": "yes"})
    assert not group.contacts.filter(email="mallory2@example.org").exists()
    assert client.get(accept.replace("/accept/", "/")).status_code == 404


def test_accepting_checks_that_the_offers_maker_still_keeps_the_group(client):
    group = _group_with_three_organizers()
    mallory = group.contacts.first()
    client.post(
        _page(mallory) + "handover/",
        {"successor_name": "Mallory Again", "successor_email": "mallory2@example.org"},
    )
    accept = _sent_link(Notification.objects.get(kind=Kind.GROUP_HANDOVER))
    mallory.delete()  # gone by a path that did not close the offer (e.g. the admin)
    response = client.post(accept, {"show_name": "yes"}, follow=True)
    assert "no longer keeps the group" in response.content.decode()
    assert not group.contacts.filter(email="mallory2@example.org").exists()
    assert Handover.objects.get().status == Handover.Status.CANCELLED


def test_people_a_removed_organizer_added_leave_with_them_unless_they_opened_the_page(client):
    group = _group_with_three_organizers()
    mallory, colleague = list(group.contacts.all())[:2]
    page = _page(mallory)
    for email in ("mallory2@example.org", "friend@example.org"):
        client.post(page + "organizers/", {"name": email.split("@")[0], "email": email})
    friend = group.contacts.get(email="friend@example.org")
    assert client.get(_page(friend)).status_code == 200  # the friend opened the page
    second = Notification.objects.get(kind=Kind.GROUP_WELCOME, recipient="mallory2@example.org")
    second_page = _sent_link(second)
    client.post(_page(colleague) + "organizers/", {"remove": str(mallory.pk), "confirm": "1"})
    emails = set(group.contacts.values_list("email", flat=True))
    assert "mallory2@example.org" not in emails and "friend@example.org" in emails
    # Their link no longer opens the group's page: it says they were removed (410).
    assert client.get(second_page).status_code == 410
    removed = group.history.get(kind="organizer_removed")
    assert removed.details["withdrawn"] == ["mallory2"]


def test_handover_offers_are_limited_per_group_and_the_form_says_so(client, settings):
    settings.GROUP_EMAILS_PER_DAY = 3
    group = _group_with_three_organizers()
    page = _page(group.contacts.first())
    for n in range(5):
        response = client.post(
            page + "handover/",
            {"successor_name": f"Person {n}", "successor_email": f"p{n}@example.org"},
        )
    assert Notification.objects.filter(kind=Kind.GROUP_HANDOVER).count() == 3
    assert response.status_code == 400
    body = response.content.decode()
    assert "as many emails to new people as it may in a day" in body
    assert "p4@example.org" in body  # what was typed is kept


def test_emails_to_one_address_are_limited_across_groups_and_kinds(client, settings):
    settings.GROUP_EMAILS_PER_RECIPIENT_PER_DAY = 2
    groups = [_group_with_three_organizers() for _ in range(3)]
    statuses = []
    for group in groups[:2]:
        statuses.append(
            client.post(
                _page(group.contacts.first()) + "organizers/",
                {"name": "Victim", "email": "victim@example.org"},
            ).status_code
        )
    response = client.post(
        _page(groups[2].contacts.first()) + "handover/",
        {"successor_name": "Victim", "successor_email": "victim@example.org"},
    )
    assert statuses == [302, 302] and response.status_code == 400
    assert "victim@example.org has been sent as many emails" in response.content.decode()
    assert Notification.objects.filter(recipient="victim@example.org").count() == 2


def test_staff_invitations_count_too(client, settings):
    settings.GROUP_EMAILS_PER_DAY = 2
    group = factories.meetup(name="Imported Circle")
    client.force_login(factories.staff_user(role="manager"))
    codes = [
        client.post(
            f"/reviews/groups/{group.slug}/people/",
            {"name": f"Keeper {n}", "email": f"k{n}@example.org"},
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 400]
    assert Notification.objects.filter(kind=Kind.GROUP_INVITATION).count() == 2
