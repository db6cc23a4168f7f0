"""Issue 23, seen with fresh eyes: a group's journey from approval to its fifth year."""

import re

import pytest

from accounts.roles import Actor
from intake import services as intake_services
from intake.models import State
from meetups import access
from meetups.models import Meetup
from notifications import delivery
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+(/groups/[A-Za-z0-9_-]+/[a-z-]*/?)")


def _approved_group(*, primary_shown=True):
    proposal, _ = factories.draft()
    if not primary_shown:
        proposal.organizers.update(listed_publicly=False)
    manager = factories.staff_user(role="manager")
    for name in factories.PATHS[State.APPROVED]:
        actor = (
            Actor.organizer_link()
            if name in ("submit", "resubmit", "withdraw")
            else Actor.automatic()
            if name == "complete_review"
            else Actor.staff(manager)
        )
        proposal = intake_services.perform_transition(proposal=proposal, name=name, actor=actor)
    return Meetup.objects.get(proposal=proposal)


def _page(contact) -> str:
    return f"/groups/{access.issue_group_link(contact=contact)}/"


def _body(kind, recipient=None) -> str:
    rows = Notification.objects.filter(kind=kind)
    if recipient:
        rows = rows.filter(recipient=recipient)
    return delivery.build_email(rows.latest("pk")).body


def _offer_handover(client, group, outgoing) -> str:
    client.post(
        _page(outgoing) + "handover/",
        {"successor_name": "Sam Successor", "successor_email": "sam@example.org"},
    )
    offer = Notification.objects.get(kind=Kind.GROUP_HANDOVER)
    return LINK.search(delivery.build_email(offer).body).group(1)


def _directory_names(group) -> str:
    return Meetup.objects.get(pk=group.pk).organizers_line


# 1. A successor is named on the directory only if they agree.


@pytest.mark.parametrize("agrees", [True, False])
def test_a_successor_is_asked_before_being_named_on_the_directory(client, agrees):
    group = _approved_group()
    outgoing = group.contacts.first()
    assert outgoing.name in _directory_names(group)
    accept = _offer_handover(client, group, outgoing)
    offer_email = _body(Kind.GROUP_HANDOVER)
    assert "only if you agree" in offer_email
    form = client.get(accept).content.decode()
    assert "May we show your name on the directory?" in form
    # Accepting without answering the question changes nothing and says why.
    refused = client.post(accept)
    assert refused.status_code == 400
    assert "Choose whether we may show your name" in refused.content.decode()
    assert not group.contacts.filter(email="sam@example.org").exists()
    client.post(accept, {"show_name": "yes" if agrees else "no"})
    assert group.contacts.filter(email="sam@example.org").exists()
    names = _directory_names(group)
    assert ("Sam Successor" in names) is agrees
    assert outgoing.name not in names  # they left: never shown again


def test_an_organizer_who_did_not_tick_show_my_name_is_never_shown(client):
    group = _approved_group(primary_shown=False)
    primary = group.contacts.order_by("position").first()
    assert primary.name not in _directory_names(group)
    client.get(f"/meetups/{group.slug}/")
    assert primary.name.encode() not in client.get("/meetups/").content
    accept = _offer_handover(client, group, primary)
    client.post(accept, {"show_name": "yes"})
    names = _directory_names(group)
    assert primary.name not in names and "Sam Successor" in names
