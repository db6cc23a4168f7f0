"""Which emails each event records and sends, to whom, with what in them."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from accounts.roles import Actor
from common import transitions
from intake import services
from meetups.models import Meetup
from notifications import recording
from notifications.models import Kind, Notification, Status
from reviews import services as reviews
from tests import factories

from .helpers import LINK, Staff, mailed_to, organizer, recipients, rows, staff, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return Staff()


@pytest.fixture
def now_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (delivery) as the test's transaction would commit."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def organizer_emails(proposal) -> set[str]:
    return {o.email for o in proposal.organizers.all()}


def submitted(now_commit):
    proposal, _ = factories.draft()
    return now_commit(transition, proposal, "submit", organizer())


def test_submit_emails_every_organizer_and_every_active_reviewer(team, now_commit):
    proposal = submitted(now_commit)
    organizers = organizer_emails(proposal)
    assert recipients(kind=Kind.SUBMITTED, audience="organizer") == organizers
    assert recipients(kind=Kind.SUBMITTED, audience="reviewer") == team.reviewer_emails
    assert Notification.objects.count() == len(organizers) + 2
    # Exactly one email each; no one else (not the inactive reviewer, not the manager).
    assert mailed_to() == sorted(organizers | team.reviewer_emails)
    assert all(n.status == Status.SENT and n.sent_at for n in rows())

    confirmation = next(m for m in mail.outbox if m.to[0] in organizers)
    assert proposal.reference in confirmation.subject
    assert proposal.reference in confirmation.body
    token = LINK.search(confirmation.body).group(1)
    assert services.proposal_for_token(token) == proposal
    to_reviewer = next(m for m in mail.outbox if m.to[0] in team.reviewer_emails)
    assert f"http://127.0.0.1:8000/reviews/{proposal.reference}/" in to_reviewer.body
    assert "/proposals/" not in to_reviewer.body  # reviewers never get a private link


def test_each_organizer_gets_a_different_working_private_link_and_none_is_stored(team, now_commit):
    proposal = submitted(now_commit)
    bodies = [m.body for m in mail.outbox if m.to[0] in organizer_emails(proposal)]
    tokens = [LINK.search(body).group(1) for body in bodies]
    assert len(set(tokens)) == 2
    assert all(services.proposal_for_token(t) == proposal for t in tokens)
    for n in rows(audience="organizer"):
        for token in tokens:
            assert token not in n.body_text and token not in n.body_html
    html = mail.outbox[0].alternatives[0]
    assert html[1] == "text/html"


def test_complete_review_emails_organizers_and_program_managers(team, now_commit, settings):
    settings.REVIEWED_EMAIL_HOLD_MINUTES = 0  # sent at once (the hold: test_reviewed_hold)
    proposal = submitted(now_commit)
    mail.outbox.clear()
    now_commit(transition, proposal, "complete_review", Actor.automatic())
    assert recipients(kind=Kind.REVIEWED, audience="organizer") == organizer_emails(proposal)
    assert recipients(kind=Kind.REVIEWED, audience="manager") == {team.manager.email}
    assert mailed_to() == sorted(organizer_emails(proposal) | {team.manager.email})


def test_request_changes_emails_organizers_the_message_and_a_link_to_edit(team, now_commit):
    proposal = submitted(now_commit)
    mail.outbox.clear()
    note = "Please say who the group is for.\nAnd how often you meet."
    now_commit(transition, proposal, "request_changes", staff(team.reviewers[0]), note)
    assert recipients(kind=Kind.CHANGES_REQUESTED) == organizer_emails(proposal)
    assert mailed_to() == sorted(organizer_emails(proposal))
    body = mail.outbox[0].body
    assert note in body
    match = LINK.search(body)
    assert match.group(2) == "edit/"
    assert services.proposal_for_token(match.group(1)) == proposal


def test_resubmit_emails_only_staff_who_took_part(team, now_commit):
    proposal = submitted(now_commit)
    now_commit(transition, proposal, "request_changes", staff(team.reviewers[0]), "More, please.")
    mail.outbox.clear()
    now_commit(transition, proposal, "resubmit", organizer())
    # The reviewer who asked for the changes; not the other reviewer, not the organizers.
    assert recipients(kind=Kind.RESUBMITTED, audience="reviewer") == {team.reviewers[0].email}
    assert mailed_to() == sorted([team.reviewers[0].email, *organizer_emails(proposal)])


def test_approve_emails_organizers_with_the_groups_own_page_and_reviewers(
    team, now_commit, settings
):
    settings.SITE_URL = "https://meetups.example.org"
    proposal = submitted(now_commit)
    now_commit(transition, proposal, "complete_review", Actor.automatic())
    mail.outbox.clear()
    now_commit(transition, proposal, "approve", staff(team.manager))
    organizers = organizer_emails(proposal)
    assert recipients(kind=Kind.APPROVED, audience="organizer") == organizers
    assert recipients(kind=Kind.APPROVED, audience="reviewer") == team.reviewer_emails
    assert mailed_to() == sorted(organizers | team.reviewer_emails)

    slug = Meetup.objects.get(proposal=proposal).slug
    page = f"https://meetups.example.org/meetups/{slug}/"
    to_organizer = next(m for m in mail.outbox if m.to[0] in organizers)
    lines = to_organizer.body.splitlines()
    assert (
        lines[lines.index(page) - 1] == "It is listed in the directory of groups, on its own page:"
    )
    assert "https://meetups.example.org/meetups/\n" not in to_organizer.body
    html = to_organizer.alternatives[0][0]
    assert (
        f'<a href="{page}">' in html and 'href="https://meetups.example.org/meetups/"' not in html
    )
    to_reviewer = next(m for m in mail.outbox if m.to[0] in team.reviewer_emails)
    assert page in to_reviewer.body and f'href="{page}"' in to_reviewer.alternatives[0][0]
    # The link works: it is the new group's page.
    path = page.removeprefix("https://meetups.example.org")
    assert proposal.name in Client().get(path).content.decode()


def test_decline_emails_organizers_the_reason(team, now_commit):
    proposal = submitted(now_commit)
    mail.outbox.clear()
    now_commit(transition, proposal, "decline", staff(team.manager), "It overlaps Code4Lib.")
    assert recipients(kind=Kind.DECLINED) == organizer_emails(proposal)
    assert mailed_to() == sorted(organizer_emails(proposal))
    assert all("It overlaps Code4Lib." in m.body for m in mail.outbox)


def test_withdraw_emails_every_organizer_and_reviewers_with_the_reason(team, now_commit):
    # Issue 13: any organizer's link can withdraw, so every organizer is told, and staff
    # read the reason (before, only reviewers were told, without it).
    proposal = submitted(now_commit)
    mail.outbox.clear()
    now_commit(transition, proposal, "withdraw", organizer(), "We found another venue.")
    everyone = organizer_emails(proposal) | set(team.reviewer_emails)
    assert recipients(kind=Kind.WITHDRAWN) == everyone
    assert mailed_to() == sorted(everyone)
    assert all("We found another venue." in m.body for m in mail.outbox)
    to_organizers = [m for m in mail.outbox if m.to[0] in organizer_emails(proposal)]
    assert len(to_organizers) == 2
    assert all(
        "withdrawn from one of its organizers' private links" in m.body for m in to_organizers
    )


def test_discarding_a_draft_emails_only_its_organizers(team, now_commit):
    proposal, _ = factories.draft()
    now_commit(transition, proposal, "withdraw", organizer())
    assert mailed_to() == sorted(organizer_emails(proposal))
    assert all("Draft discarded" in m.subject for m in mail.outbox)
    assert all("staff never saw it" in m.body for m in mail.outbox)


def test_a_shared_comment_emails_organizers(team, now_commit):
    proposal = submitted(now_commit)
    mail.outbox.clear()
    comment = now_commit(
        reviews.add_comment,
        proposal=proposal,
        author=team.reviewers[0],
        body="Could you meet quarterly?",
        visibility="shared",
    )
    assert recipients(kind=Kind.COMMENT_SHARED) == organizer_emails(proposal)
    assert mailed_to() == sorted(organizer_emails(proposal))
    assert all("Could you meet quarterly?" in m.body for m in mail.outbox)
    assert all(LINK.search(m.body) for m in mail.outbox)

    # The same comment recorded again yields no second email.
    def record_again():
        with transaction.atomic():
            return recording.record_comment(comment=comment)

    now_commit(record_again)
    assert len(mail.outbox) == 2


def test_an_organizer_reply_emails_staff_who_took_part(team, now_commit):
    proposal = submitted(now_commit)
    now_commit(transition, proposal, "request_changes", staff(team.reviewers[1]), "Why?")
    mail.outbox.clear()
    now_commit(reviews.add_organizer_reply, proposal=proposal, body="Yes, quarterly works.")
    assert recipients(kind=Kind.ORGANIZER_REPLY, audience="reviewer") == {team.reviewers[1].email}
    # The organizers hear of it too (issue 23): any of them may have written it.
    organizers = {o.email for o in proposal.organizers.all()}
    assert recipients(kind=Kind.ORGANIZER_REPLY, audience="organizer") == organizers
    assert sorted(mailed_to()) == sorted([team.reviewers[1].email, *organizers])
    assert all("Yes, quarterly works." in m.body for m in mail.outbox)


def test_staff_who_lost_their_role_are_no_longer_told(team, now_commit):
    proposal = submitted(now_commit)
    now_commit(transition, proposal, "request_changes", staff(team.reviewers[0]), "Why?")
    team.reviewers[0].groups.clear()
    mail.outbox.clear()
    now_commit(transition, proposal, "resubmit", organizer())
    # No staff member is told; the organizers are (issue 23).
    organizers = {o.email for o in proposal.organizers.all()}
    assert {m.to[0] for m in mail.outbox} == organizers


def test_a_rolled_back_transition_records_and_sends_nothing(team, now_commit):
    proposal, _ = factories.draft()

    class Abort(Exception):
        pass

    def submit_then_fail():
        with transaction.atomic():
            transition(proposal, "submit", organizer())
            assert Notification.objects.count() == 4  # recorded inside the transaction
            raise Abort

    with pytest.raises(Abort):
        now_commit(submit_then_fail)
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_refused_transition_records_nothing(team, now_commit):
    proposal, _ = factories.draft()
    with pytest.raises(transitions.Refused):
        now_commit(transition, proposal, "approve", staff(team.manager))
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_someone_who_is_organizer_and_reviewer_gets_one_email(now_commit):
    reviewer = factories.staff_user(role="reviewer", email="both@example.org")
    proposal, _ = factories.draft(organizer_emails=["both@example.org", "other@example.org"])
    now_commit(transition, proposal, "submit", organizer())
    assert mailed_to() == ["both@example.org", "other@example.org"]
    assert rows(recipient=reviewer.email)[0].audience == "organizer"


def test_recording_the_same_event_twice_adds_no_row(team, now_commit):
    proposal = submitted(now_commit)
    count = Notification.objects.count()
    record = proposal.transitions.get(transition="submit")
    with transaction.atomic():
        recording.record_transition(proposal=proposal, record=record)
    assert Notification.objects.count() == count


def test_html_escapes_what_users_wrote_and_text_keeps_it(team, now_commit):
    name = "<script>alert('x')</script> & Friends"
    proposal, _ = factories.draft(name=name)
    now_commit(transition, proposal, "submit", organizer())
    note = '<img src=x onerror="alert(1)"> Tell us more & soon'
    now_commit(transition, proposal, "decline", staff(factories.staff_user(role="manager")), note)
    declined = rows(kind=Kind.DECLINED)[0]
    assert "<script>" not in declined.body_html
    assert "&lt;script&gt;" in declined.body_html
    assert "<img" not in declined.body_html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Tell us more &amp; soon" in (
        declined.body_html
    )
    assert note in declined.body_text
    sent = next(m for m in mail.outbox if m.subject == declined.subject)
    html = sent.alternatives[0][0]
    assert "<script>" not in html and "<img" not in html
    assert "\n" not in sent.subject


def test_program_name_and_site_url_come_from_settings(settings, now_commit):
    settings.PROGRAM_NAME = "Harbor Meetups"
    settings.SITE_URL = "https://meetups.example.org"
    factories.staff_user(role="reviewer")
    proposal = submitted(now_commit)
    assert all(m.subject.startswith("Harbor Meetups: ") for m in mail.outbox)
    assert all("https://meetups.example.org/" in m.body for m in mail.outbox)
    assert all("Harbor Meetups" in m.alternatives[0][0] for m in mail.outbox)
    assert proposal.reference in mail.outbox[0].subject


def test_find_my_proposals_goes_through_the_outbox(now_commit):
    first, _ = factories.draft(organizer_emails=["kim@example.org", "lee@example.org"])
    second, _ = factories.draft(organizer_emails=["kim@example.org", "max@example.org"])
    now_commit(services.email_access_links, email="Kim@example.org")
    (row,) = rows(kind=Kind.ACCESS_LINKS)
    assert row.recipient == "kim@example.org" and row.status == Status.SENT
    assert mailed_to() == ["kim@example.org"]
    tokens = LINK.findall(mail.outbox[0].body)
    assert {services.proposal_for_token(t) for t, _ in tokens} == {first, second}
    assert not LINK.search(row.body_text)


def test_a_link_placeholder_typed_by_a_user_opens_nothing(team, now_commit):
    victim, _ = factories.draft()
    proposal, _ = factories.draft(name=f"@@private-link:{victim.pk}:status@@")
    now_commit(transition, proposal, "submit", organizer())
    to_reviewer = next(m for m in mail.outbox if m.to[0] in team.reviewer_emails)
    assert "/proposals/" not in to_reviewer.body
    assert victim.access_links.count() == 1


def test_record_comment_sends_by_who_wrote_it_and_who_may_read_it(team, now_commit):
    proposal = submitted(now_commit)
    mail.outbox.clear()
    author = team.reviewers[0]
    now_commit(
        reviews.add_comment,
        proposal=proposal,
        author=author,
        body="Staff only.",
        visibility="internal",
    )
    assert mail.outbox == []
    now_commit(
        reviews.add_comment, proposal=proposal, author=author, body="For you.", visibility="shared"
    )
    assert recipients(kind=Kind.COMMENT_SHARED) == organizer_emails(proposal)
    assert "Staff only." not in "".join(m.body for m in mail.outbox)
