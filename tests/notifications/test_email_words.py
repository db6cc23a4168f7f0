"""What each email says, read as a person reads it (issue 13): the message staff typed with
a transition, a greeting by name, who named a co-organizer, how to reach staff, Reply-To."""

import pytest
from django.core import mail
from django.test import Client

from accounts.roles import Actor
from reviews import services as reviews
from tests import factories

from .helpers import Staff, organizer, staff, transition

pytestmark = pytest.mark.django_db

CONTACT = "meetups@metro.example.org"


@pytest.fixture(autouse=True)
def contact(settings):
    settings.PROGRAM_CONTACT_EMAIL = CONTACT


@pytest.fixture
def team():
    return Staff()


@pytest.fixture
def now_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def reviewed(now_commit, team):
    proposal, token = factories.draft()
    now_commit(transition, proposal, "submit", organizer())
    now_commit(transition, proposal, "complete_review", Actor.automatic())
    return proposal, token


def html_of(message) -> str:
    return message.alternatives[0][0]


def test_the_approval_message_reaches_every_approved_email_and_the_organizers_page(
    team, now_commit
):
    proposal, token = reviewed(now_commit, team)
    mail.outbox.clear()
    note = "Welcome aboard! Your first meeting room is booked for 3 March."
    now_commit(transition, proposal, "approve", staff(team.manager), note)
    assert len(mail.outbox) == 2 + len(team.reviewers)
    for message in mail.outbox:
        assert note in message.body
        assert note in html_of(message)
    organizer_mail = [m for m in mail.outbox if "approved" in m.subject.lower()]
    assert "Staff will contact you about next steps" not in "".join(m.body for m in organizer_mail)
    page = Client().get(f"/proposals/{token}/").content.decode()
    messages = page[page.index('id="messages-title"') :]
    assert note in messages and "Approved" in messages


@pytest.mark.parametrize("name", ["request_changes", "decline", "complete_review"])
def test_every_message_typed_with_a_transition_goes_into_its_emails(
    team, now_commit, name, settings
):
    settings.REVIEWED_EMAIL_HOLD_MINUTES = 0  # sent at once (the hold: test_reviewed_hold)
    proposal, _ = factories.draft()
    now_commit(transition, proposal, "submit", organizer())
    mail.outbox.clear()
    note = f"A message typed with {name}."
    actor = staff(team.manager)
    now_commit(transition, proposal, name, actor, note)
    assert mail.outbox
    assert all(note in m.body for m in mail.outbox)


def test_emails_greet_each_organizer_by_name_and_tell_co_organizers_who_named_them(
    team, now_commit
):
    proposal, _ = factories.draft()
    primary, co = list(proposal.organizers.all())
    now_commit(transition, proposal, "submit", organizer())
    to = {m.to[0]: m for m in mail.outbox}
    assert to[primary.email].body.startswith(f"Hello {primary.name},")
    assert "named you" not in to[primary.email].body
    assert to[co.email].body.startswith(f"Hello {co.name},")
    assert f"{primary.name} named you as a co-organizer" in to[co.email].body
    assert f"{primary.name} named you as a co-organizer" in html_of(to[co.email])


def test_every_email_names_the_contact_address_and_replies_go_there(team, now_commit):
    proposal, _ = reviewed(now_commit, team)
    now_commit(
        reviews.add_comment,
        proposal=proposal,
        author=team.reviewers[0],
        body="Could you meet quarterly?",
        visibility="shared",
    )
    now_commit(reviews.add_organizer_reply, proposal=proposal, body="Yes, we can.")
    now_commit(transition, proposal, "approve", staff(team.manager), "")
    assert len(mail.outbox) > 5
    for message in mail.outbox:
        assert message.reply_to == [CONTACT], message.subject
        # Organizers are told to write there; staff (item 14) that replies go there.
        assert f"write to {CONTACT}" in message.body or (
            f"replies go to the program's address, {CONTACT}" in message.body
        ), message.subject
        assert f"mailto:{CONTACT}" in html_of(message), message.subject
        assert "the only way" not in message.body


def test_the_email_colours_are_the_sites(team, now_commit):
    proposal, _ = factories.draft()
    now_commit(transition, proposal, "submit", organizer())
    html = html_of(mail.outbox[0])
    assert "#0f4c5c" in html and "#0b4f6c" not in html


def test_organizers_can_still_write_to_staff_after_approval(team, now_commit):
    proposal, token = reviewed(now_commit, team)
    now_commit(transition, proposal, "approve", staff(team.manager), "")
    page = Client().get(f"/proposals/{token}/").content.decode()
    assert 'action="/proposals/' in page and "Send message" in page
    assert "Program staff write here when they have a question" not in page
    mail.outbox.clear()
    now_commit(reviews.add_organizer_reply, proposal=proposal, body="We changed our venue.")
    # The staff who took part, and (issue 23) every organizer, since any of them may write.
    organizers = sorted(o.email for o in proposal.organizers.all())
    assert sorted(m.to[0] for m in mail.outbox) == sorted([team.manager.email, *organizers])
    assert all("We changed our venue." in m.body for m in mail.outbox)
