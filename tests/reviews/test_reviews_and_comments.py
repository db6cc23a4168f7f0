"""Reviews (one per reviewer, editable, and the automatic "reviewed" step) and comments
(internal or shared, chosen explicitly), from both sides."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils.html import escape

from accounts.roles import Actor
from common.forms import NULL_CHARACTER_MESSAGE
from intake import services as intake_services
from intake.models import Proposal, ProposalTransition, State
from reviews import services
from reviews.models import Comment, Review
from tests import factories


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_one_review_per_reviewer_and_it_can_be_changed(settings):
    settings.REVIEWS_REQUIRED = 3
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    user = factories.staff_user(role="reviewer")
    client = signed_in(user)
    url = f"/reviews/{proposal.reference}/review/"
    assert client.post(url, {"recommendation": "decline", "notes": "Overlaps."}).status_code == 302
    assert client.post(url, {"recommendation": "approve", "notes": "Fine after all."}).status_code
    review = Review.objects.get()
    assert (review.recommendation, review.notes) == ("approve", "Fine after all.")
    page = client.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "Change your review" in page and "Fine after all." in page
    assert "Reviews for this submission: 1 of 3 needed" in page
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(proposal=proposal, reviewer=user, recommendation="approve")


@pytest.mark.django_db
def test_review_needs_a_recommendation_and_keeps_the_notes():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    client = signed_in(factories.staff_user(role="reviewer"))
    response = client.post(f"/reviews/{proposal.reference}/review/", {"notes": "Half a thought"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a recommendation" in html
    assert "Half a thought" in html
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_becomes_reviewed_when_enough_reviews_are_in(settings):
    settings.REVIEWS_REQUIRED = 2
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    first, second = factories.staff_user(), factories.staff_user(role="manager")
    services.save_review(proposal=proposal, reviewer=first, recommendation="approve")
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
    # Editing the same review does not count twice.
    services.save_review(proposal=proposal, reviewer=first, recommendation="decline")
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
    services.save_review(proposal=proposal, reviewer=second, recommendation="approve")
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED
    record = ProposalTransition.objects.filter(proposal=proposal).last()
    assert (record.transition, record.actor_label, record.actor) == (
        "complete_review",
        "Automatic",
        None,
    )
    # More reviews after that change nothing and add no history.
    services.save_review(
        proposal=proposal, reviewer=factories.staff_user(), recommendation="approve"
    )
    assert ProposalTransition.objects.filter(proposal=proposal).count() == 2


@pytest.mark.django_db
def test_no_reviews_outside_submitted_and_reviewed():
    user = factories.staff_user()
    for state in (State.CHANGES_REQUESTED, State.APPROVED, State.DECLINED, State.WITHDRAWN):
        proposal, _ = factories.proposal_in_state(state)
        with pytest.raises(services.ReviewError, match="can be reviewed only while"):
            services.save_review(proposal=proposal, reviewer=user, recommendation="approve")
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_only_staff_can_review_or_comment():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    outsider = factories.staff_user(role="none")
    with pytest.raises(services.ReviewError):
        services.save_review(proposal=proposal, reviewer=outsider, recommendation="approve")
    with pytest.raises(services.ReviewError):
        services.add_comment(proposal=proposal, author=outsider, body="x", visibility="shared")
    assert not Review.objects.exists() and not Comment.objects.exists()


@pytest.mark.django_db
def test_comment_visibility_must_be_chosen():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    client = signed_in(factories.staff_user())
    page = client.get(f"/reviews/{proposal.reference}/").content.decode()
    comment_form = page.split('id="comments"')[1]
    assert 'name="visibility"' in comment_form
    assert "checked" not in comment_form.split("Post comment")[0]  # no default choice
    response = client.post(
        f"/reviews/{proposal.reference}/comment/", {"body": "Is the venue booked?"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose who can read this comment" in html
    assert "Is the venue booked?" in html  # the text is kept
    assert not Comment.objects.exists()
    response = client.post(
        f"/reviews/{proposal.reference}/comment/", {"body": "  ", "visibility": "internal"}
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_internal_comments_stay_internal_and_shared_ones_reach_organizers():
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    staff = signed_in(factories.staff_user(first_name="Riley", last_name="Reviewer"))
    url = f"/reviews/{proposal.reference}/comment/"
    staff.post(url, {"body": "Between us: the name is weak.", "visibility": "internal"})
    staff.post(url, {"body": "Could you meet online too?", "visibility": "shared"})

    page = staff.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "Between us: the name is weak." in page and "Internal: staff only" in page
    assert "Could you meet online too?" in page and "Shared with the organizers" in page
    assert "Riley Reviewer" in page

    status = Client().get(f"/proposals/{token}/").content.decode()
    assert "Could you meet online too?" in status
    assert "Between us" not in status
    assert "Riley" not in status  # organizers see "Program staff"

    # The organizer replies; staff see it, marked as theirs.
    response = Client().post(f"/proposals/{token}/reply/", {"body": "Yes, hybrid is fine."})
    assert response.status_code == 302
    reply = Comment.objects.get(by_organizers=True)
    assert (reply.visibility, reply.author) == ("shared", None)
    page = staff.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "Yes, hybrid is fine." in page and "From the organizers" in page
    status = Client().get(f"/proposals/{token}/").content.decode()
    messages = status.split('id="messages"')[1].split("</section>")[0]
    assert messages.index("Could you meet online too?") < messages.index("Yes, hybrid is fine.")


@pytest.mark.django_db
def test_empty_reply_is_refused_with_a_message():
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    response = Client().post(f"/proposals/{token}/reply/", {"body": "   "})
    assert response.status_code == 400
    assert "Write your message first" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_reply_refused_because_the_proposal_closed_meanwhile_keeps_the_text(monkeypatch):
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    real_lookup = intake_services.proposal_for_token

    def withdrawn_just_after_lookup(value):
        # Another organizer withdraws between this request reading the proposal and sending.
        found = real_lookup(value)
        intake_services.run_transition(
            proposal=found, name="withdraw", actor=Actor.organizer_link()
        )
        return found

    monkeypatch.setattr(intake_services, "proposal_for_token", withdrawn_just_after_lookup)
    body = "We can meet <b>online</b> too."
    response = Client().post(f"/proposals/{token}/reply/", {"body": body})

    assert response.status_code == 409
    html = response.content.decode()
    assert "<title>Error: " in html
    assert 'role="alert"' in html and "Your message was not sent." in html
    assert "is withdrawn, so messages cannot be sent from this page" in html
    assert textarea(html, "body") == escape(body)
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_reply_sent_after_the_proposal_closed_gives_the_text_back():
    proposal, token = factories.proposal_in_state(State.DECLINED)
    client = Client()
    response = client.post(f"/proposals/{token}/reply/", {"body": "But <i>why</i>?"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your message was not sent: But &lt;i&gt;why&lt;/i&gt;?" in page
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_reply_needs_a_real_private_link():
    response = Client().post("/proposals/not-a-real-token/reply/", {"body": "Hello"})
    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_drafts_have_no_messages_section():
    proposal, token = factories.draft()
    status = Client().get(f"/proposals/{token}/").content.decode()
    assert 'id="messages"' not in status
    with pytest.raises(services.ReviewError):
        services.add_organizer_reply(proposal=proposal, body="Hello?")


@pytest.mark.django_db
def test_service_functions_return_what_they_create():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    user = factories.staff_user()
    comment = services.add_comment(
        proposal=proposal, author=user, body="Noted.", visibility="shared"
    )
    assert isinstance(comment, Comment) and comment.pk
    reply = services.add_organizer_reply(proposal=proposal, body="Thanks.")
    assert reply.by_organizers and reply.pk
    review = services.save_review(proposal=proposal, reviewer=user, recommendation="approve")
    assert isinstance(review, Review) and review.pk


def textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    assert match, name
    return match.group(1)


NUL_FORMS = [
    # (who, state, path after the proposal, fields posted, the text area's name)
    ("reviewer", State.SUBMITTED, "comment", {"visibility": "shared"}, "body"),
    ("reviewer", State.SUBMITTED, "review", {"recommendation": "approve"}, "notes"),
    ("manager", State.REVIEWED, "decide", {"transition": "request_changes"}, "note"),
    ("organizer", State.SUBMITTED, "reply", {}, "body"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "state", "action", "fields", "name"), NUL_FORMS)
def test_a_null_character_gets_the_plain_message_and_the_rest_of_the_text_is_kept(
    who, state, action, fields, name
):
    """A NUL pasted into a comment, review, decision note or reply: the same words as the
    proposal form, and the text area still holds everything else that was typed."""
    proposal, token = factories.proposal_in_state(state)
    if who == "organizer":
        client, url = Client(), f"/proposals/{token}/reply/"
    else:
        client = signed_in(factories.staff_user(role=who))
        url = f"/reviews/{proposal.reference}/{action}/"
        fields = {**fields, "expected_state": proposal.state}
    before = (Comment.objects.count(), Review.objects.count(), ProposalTransition.objects.count())

    response = client.post(url, {**fields, name: "Is the venue\x00 booked? <b>Yes</b>"})

    assert response.status_code == 400
    html = response.content.decode()
    assert escape(NULL_CHARACTER_MESSAGE) in html
    assert "Null characters are not allowed" not in html
    assert "\x00" not in html
    assert textarea(html, name) == "Is the venue booked? &lt;b&gt;Yes&lt;/b&gt;"
    after = (Comment.objects.count(), Review.objects.count(), ProposalTransition.objects.count())
    assert after == before
    assert Proposal.objects.get(pk=proposal.pk).state == state
