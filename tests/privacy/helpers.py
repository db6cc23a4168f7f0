"""An approved proposal with a co-organizer listed, for the consent tests."""

import re

from accounts.roles import Actor, staff_actor
from intake import services
from intake.services import OrganizerData
from meetups.models import Meetup
from tests import factories

GROUP_LINK = re.compile(r"https?://[^/\s]+(/groups/[A-Za-z0-9_-]+/)")
PRIMARY = ("Pat Primary", "pat@example.org")
CO = ("Cam Coorganizer", "cam@example.org")


def approved_group(**content) -> Meetup:
    """A group approved from a proposal by Pat (primary) and Cam (co-organizer, listed)."""
    return approved_group_and_link(**content)[0]


def approved_group_and_link(**content) -> tuple[Meetup, str]:
    """approved_group, with the proposal's private link token."""
    people = [
        OrganizerData(name=name, email=email, institution="Queens Library")
        for name, email in (PRIMARY, CO)
    ]
    proposal, token = services.create_draft(
        content=factories.proposal_content(**content), organizers=people
    )
    manager = factories.staff_user(role="manager")
    for name, actor in (
        ("submit", Actor.organizer_link()),
        ("complete_review", Actor.automatic()),
        ("approve", staff_actor(manager)),
    ):
        proposal = services.run_transition(proposal=proposal, name=name, actor=actor)
    return Meetup.objects.get(proposal=proposal), token


def link_in(message) -> str:
    """The private group page's path in an email."""
    return GROUP_LINK.search(message.body).group(1)
