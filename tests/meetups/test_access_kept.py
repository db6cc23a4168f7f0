"""Who keeps a group's page, and what its page may email: an organizer who is removed or
steps down takes back every offer and addition they made, so no second address of theirs
keeps a way in; and the emails a page sends to new people are bounded per group and per
address, the form saying so plainly."""

import re

import pytest
from django.test import Client

from intake.models import State
from meetups import access, handovers
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
    # The link says the offer was withdrawn (410), and accepting it changes nothing.
    withdrawn = client.get(accept)
    assert withdrawn.status_code == 410
    assert "withdrawn" in withdrawn.content.decode()
    assert client.post(accept, {"show_name": "yes"}).status_code == 410
    assert not group.contacts.filter(email="mallory2@example.org").exists()
    assert client.get(accept.replace("/accept/", "/")).status_code == 410


def test_a_withdrawn_handovers_link_says_so_in_the_sites_look(client, settings):
    group = _group_with_three_organizers()
    offerer = group.contacts.first()
    page = _page(offerer)
    client.post(page + "handover/", {"successor_name": "Sam Lee", "successor_email": "sam@x.org"})
    accept = _sent_link(Notification.objects.get(kind=Kind.GROUP_HANDOVER))
    assert client.get(accept).status_code == 200
    handover = Handover.objects.get()

    handovers.cancel_handover(handover=handover, actor=None, actor_label="Staff")
    response = client.get(accept)
    assert response.status_code == 410
    body = response.content.decode()
    assert "This handover offer was withdrawn" in body
    assert offerer.name in body and group.name in body
    assert f'href="mailto:{settings.PROGRAM_CONTACT_EMAIL}"' in body  # whom to write to
    assert "<nav" in body  # the site's own page, with its navigation
    assert client.post(accept).status_code == 410
    assert not group.contacts.filter(email="sam@x.org").exists()


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


def _add(group, email="victim@example.org"):
    return client_post(group, "organizers/", {"name": "Victim", "email": email})


def client_post(group, path, data):
    return Client().post(_page(group.contacts.first()) + path, data)


def test_removal_notices_count_under_the_per_address_limit(settings):
    # Added, removed, added elsewhere: each email to the address counts, the removal notice
    # too, so the third is refused and the address gets no more than the limit.
    settings.GROUP_EMAILS_PER_RECIPIENT_PER_DAY = 2
    first, second = _group_with_three_organizers(), _group_with_three_organizers()
    assert _add(first).status_code == 302
    victim = first.contacts.get(email="victim@example.org")
    removed = client_post(first, "organizers/", {"remove": str(victim.pk), "confirm": "1"})
    assert removed.status_code == 302
    assert not first.contacts.filter(email="victim@example.org").exists()
    response = _add(second)
    assert response.status_code == 400
    assert "victim@example.org has been sent as many emails" in response.content.decode()
    assert Notification.objects.filter(recipient="victim@example.org").count() == 2


def test_a_removal_past_the_limit_still_removes_and_tells_the_others(settings):
    settings.GROUP_EMAILS_PER_RECIPIENT_PER_DAY = 1
    group = _group_with_three_organizers()
    assert _add(group).status_code == 302
    victim = group.contacts.get(email="victim@example.org")
    removed = client_post(group, "organizers/", {"remove": str(victim.pk), "confirm": "1"})
    assert removed.status_code == 302
    assert not group.contacts.filter(email="victim@example.org").exists()
    notices = Notification.objects.filter(kind=Kind.GROUP_ORGANIZER_REMOVED)
    assert not notices.filter(recipient="victim@example.org").exists()
    assert notices.exists()  # the organizers who stay are told
    assert Notification.objects.filter(recipient="victim@example.org").count() == 1


def _added_notices(**filters):
    return Notification.objects.filter(kind=Kind.GROUP_ORGANIZER_ADDED, **filters)


def test_people_added_who_have_not_opened_their_page_are_not_told_of_later_additions(settings):
    settings.GROUP_EMAILS_PER_DAY = 100
    group = _group_with_three_organizers()
    for n in range(5):
        assert _add(group, f"p{n}@example.org").status_code == 302
    assert group.contacts.filter(email__startswith="p").count() == 5
    # Each added address gets its welcome and nothing more.
    for n in range(5):
        assert Notification.objects.filter(recipient=f"p{n}@example.org").count() == 1
    assert not _added_notices(recipient__startswith="p").exists()
    # Once one opens their page, they hear of the next addition.
    assert Client().get(_page(group.contacts.get(email="p0@example.org"))).status_code == 200
    assert _add(group, "p5@example.org").status_code == 302
    assert _added_notices(recipient="p0@example.org").count() == 1


def test_addition_notices_count_under_the_per_address_limit(settings):
    settings.GROUP_EMAILS_PER_DAY = 100
    settings.GROUP_EMAILS_PER_RECIPIENT_PER_DAY = 2
    group = _group_with_three_organizers()
    others = [c.email for c in group.contacts.all()[1:]]
    for n in range(4):
        assert _add(group, f"p{n}@example.org").status_code == 302  # still added
    assert group.contacts.filter(email__startswith="p").count() == 4
    for address in others:
        assert _added_notices(recipient=address).count() == 2


def test_addition_notices_count_under_the_per_group_limit(settings):
    settings.GROUP_EMAILS_PER_DAY = 4
    group = _group_with_three_organizers()
    before = Notification.objects.count()  # the approval's
    assert _add(group, "p0@example.org").status_code == 302  # a welcome and two notices
    assert _add(group, "p1@example.org").status_code == 302  # the welcome only
    assert group.contacts.filter(email="p1@example.org").exists()
    assert Notification.objects.count() - before == 4
    assert _added_notices().count() == 2
    response = _add(group, "p2@example.org")
    assert response.status_code == 400
    assert Notification.objects.count() - before == 4
