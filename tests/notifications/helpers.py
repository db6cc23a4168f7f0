"""Shared helpers for the notification tests."""

import re
import socket

from django.core import mail

from accounts.roles import Actor, staff_actor
from intake import services
from notifications.models import Notification
from tests import factories

LINK = re.compile(r"http://[^/\s]+/proposals/([\w-]+)/(edit/)?")


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Staff:
    """Two active reviewers, one inactive reviewer, one program manager."""

    def __init__(self):
        self.reviewers = [factories.staff_user(role="reviewer") for _ in range(2)]
        self.inactive = factories.staff_user(role="reviewer", is_active=False)
        self.manager = factories.staff_user(role="manager")

    @property
    def reviewer_emails(self) -> set[str]:
        return {u.email for u in self.reviewers}


def rows(**filters) -> list[Notification]:
    return list(Notification.objects.filter(**filters).order_by("pk"))


def recipients(**filters) -> set[str]:
    return {n.recipient for n in rows(**filters)}


def mailed(subject_part: str = "") -> list:
    return [m for m in mail.outbox if subject_part in m.subject]


def mailed_to(subject_part: str = "") -> list[str]:
    """Every address mailed (with repeats, so a double send shows)."""
    return sorted(address for m in mailed(subject_part) for address in m.to)


def transition(proposal, name, actor, note=""):
    return services.run_transition(proposal=proposal, name=name, actor=actor, note=note)


def organizer():
    return Actor.organizer_link()


def staff(user):
    return staff_actor(user)
