"""Emails for comments and resubmissions, with the reviews app's Review and Comment models."""

import pytest
from django.core import mail

from notifications.models import Kind
from reviews import services as reviews
from reviews.models import Review
from tests import factories

from .helpers import Staff, mailed_to, organizer, recipients, staff, transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(django_capture_on_commit_callbacks):
    team = Staff()
    proposal, _ = factories.draft()
    with django_capture_on_commit_callbacks(execute=True):
        transition(proposal, "submit", organizer())
    mail.outbox.clear()
    return team, proposal


def comment(run, *, proposal, body, author=None, visibility="shared", by_organizers=False):
    """A comment written the way the pages write it, its emails sent as on commit."""
    with run(execute=True):
        if by_organizers:
            return reviews.add_organizer_reply(proposal=proposal, body=body)
        return reviews.add_comment(
            proposal=proposal, author=author, body=body, visibility=visibility
        )


def test_resubmit_emails_reviewers_commenters_and_who_asked_for_changes(
    case, django_capture_on_commit_callbacks
):
    team, proposal = case
    run = django_capture_on_commit_callbacks
    extra = factories.staff_user(role="reviewer")
    Review.objects.create(proposal=proposal, reviewer=team.reviewers[0], recommendation="approve")
    comment(run, proposal=proposal, author=team.reviewers[1], visibility="internal", body="Hm.")
    with run(execute=True):
        transition(proposal, "request_changes", staff(team.manager), "Say more.")
    mail.outbox.clear()
    with run(execute=True):
        transition(proposal, "resubmit", organizer())
    expected = {team.reviewers[0].email, team.reviewers[1].email, team.manager.email}
    assert recipients(kind=Kind.RESUBMITTED, audience="reviewer") == expected
    assert mailed_to() == sorted([*expected, *(o.email for o in proposal.organizers.all())])
    assert extra.email not in mailed_to()


def test_a_shared_comment_goes_to_organizers_and_an_internal_one_to_no_one(
    case, django_capture_on_commit_callbacks
):
    team, proposal = case
    run = django_capture_on_commit_callbacks
    comment(run, proposal=proposal, author=team.reviewers[0], visibility="internal", body="x")
    assert mail.outbox == []
    comment(run, proposal=proposal, author=team.reviewers[0], visibility="shared", body="Hi <b>")
    organizers = {o.email for o in proposal.organizers.all()}
    assert recipients(kind=Kind.COMMENT_SHARED) == organizers
    assert mailed_to() == sorted(organizers)
    assert "Hi &lt;b&gt;" in mail.outbox[0].alternatives[0][0]


def test_an_organizer_reply_goes_to_staff_who_reviewed_or_commented(
    case, django_capture_on_commit_callbacks
):
    team, proposal = case
    run = django_capture_on_commit_callbacks
    Review.objects.create(proposal=proposal, reviewer=team.reviewers[0], recommendation="approve")
    comment(run, proposal=proposal, author=team.manager, visibility="internal", body="Fine.")
    comment(
        run,
        proposal=proposal,
        by_organizers=True,
        author=None,
        visibility="shared",
        body="Thanks!",
    )
    expected = {team.reviewers[0].email, team.manager.email}
    assert recipients(kind=Kind.ORGANIZER_REPLY, audience="reviewer") == expected
    assert mailed_to() == sorted([*expected, *(o.email for o in proposal.organizers.all())])
