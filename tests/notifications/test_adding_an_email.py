"""Adding an email is one entry in notifications.kinds, its templates and the receiver that
records it (docs/architecture.md, "Adding an email"): a throwaway kind added that way alone
is recorded in the outbox, rendered by the one renderer, addressed by the one resolver and
delivered to the people its entry names, once each."""

import pytest
from django.db import transaction
from django.dispatch import Signal

from notifications import emails
from notifications.kinds import KINDS, EmailKind
from notifications.models import Notification, Status
from notifications.recipients import MANAGER, MANAGERS, ORGANIZER, PROPOSAL_ORGANIZERS
from tests import factories

from .helpers import mailed

KIND = "throwaway_greeting"

TEMPLATES = {
    f"{KIND}_subject.txt": "{{ name }} says hello",
    f"{KIND}_organizer.txt": (
        '{% include "notifications/email/_greeting.txt" %}\n'
        "Your proposal {{ reference }} says hello.\n\n"
        '{% include "notifications/email/_signoff.txt" %}'
    ),
    f"{KIND}_manager.txt": (
        '{% include "notifications/email/_greeting.txt" %}\n'
        "{{ reference }} says hello to the program managers: {{ review_link }}\n\n"
        '{% include "notifications/email/_signoff.txt" %}'
    ),
    f"{KIND}.html": (
        '{% extends "notifications/email/base.html" %}'
        "{% block content %}<p>{{ reference }} says hello.</p>{% endblock %}"
    ),
}

# Where the change happens, announced as any app announces one.
something_happened = Signal()


def record_greeting(sender, *, proposal, **kwargs):
    """The receiver: one call, the kind's entry says who gets it."""
    emails.record(
        event_key=f"{KIND}:{proposal.pk}",
        proposal=proposal,
        messages=emails.messages(KIND, proposal=proposal),
        context={
            "reference": proposal.reference,
            "name": proposal.name,
            "review_link": f"https://example.org/reviews/{proposal.reference}/",
        },
    )


@pytest.fixture
def throwaway_kind(tmp_path, settings, monkeypatch):
    folder = tmp_path / "notifications" / "email"
    folder.mkdir(parents=True)
    for name, text in TEMPLATES.items():
        (folder / name).write_text(text)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}, *settings.TEMPLATES[1:]]
    monkeypatch.setitem(
        KINDS,
        KIND,
        EmailKind({ORGANIZER: PROPOSAL_ORGANIZERS, MANAGER: MANAGERS}, ("reference", "name")),
    )
    something_happened.connect(record_greeting, dispatch_uid="tests.throwaway_greeting")
    yield
    something_happened.disconnect(dispatch_uid="tests.throwaway_greeting")


@pytest.mark.django_db
def test_a_kind_added_through_the_table_alone_is_recorded_and_delivered(
    throwaway_kind, settings, django_capture_on_commit_callbacks
):
    proposal, _token = factories.draft(organizer_emails=["ada@example.org", "bo@example.org"])
    manager = factories.staff_user(role="manager")
    factories.staff_user(role="reviewer")  # not in the kind's audiences: gets nothing

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        something_happened.send(sender=None, proposal=proposal)

    rows = Notification.objects.filter(kind=KIND).order_by("pk")
    assert {(n.recipient, n.audience) for n in rows} == {
        ("ada@example.org", ORGANIZER),
        ("bo@example.org", ORGANIZER),
        (manager.email, MANAGER),
    }
    assert {n.status for n in rows} == {Status.SENT}
    sent = mailed("says hello")
    assert sorted(address for m in sent for address in m.to) == sorted(
        ["ada@example.org", "bo@example.org", manager.email]
    )
    to_manager = next(m for m in sent if m.to == [manager.email])
    assert to_manager.subject == f"{settings.PROGRAM_NAME}: {proposal.name} says hello"
    assert "says hello to the program managers" in to_manager.body
    to_organizer = next(m for m in sent if m.to == ["ada@example.org"])
    assert f"Your proposal {proposal.reference} says hello." in to_organizer.body
    assert to_organizer.body.startswith("Hello ")
    assert "To reach program staff" in to_organizer.body  # the shared ending, for organizers
    assert "You receive this email as" in to_manager.body  # and for staff
    html, _mimetype = to_organizer.alternatives[0]
    assert f"<p>{proposal.reference} says hello.</p>" in html

    # Recorded once per event and recipient: announcing it again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        something_happened.send(sender=None, proposal=proposal)
    assert Notification.objects.filter(kind=KIND).count() == 3
