"""The reviewer's workspace of issue 13: the queue opens on what needs the person's action,
each decision passes a confirmation step that says what will happen, the history reads as
sentences, and the header says who is signed in."""

import re

import pytest
from django.test import Client

from accounts.roles import Actor, staff_actor
from intake import services as intake_services
from intake.models import Proposal, State
from meetups.models import Meetup
from reviews import services, timeline
from tests import factories

from .helpers import decide


def references(html: str) -> set[str]:
    return set(re.findall(r'href="/reviews/(MTG-\d{4}-\d{4})/"', html))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def proposals():
    """One proposal in each state staff see, plus one the reviewer already reviewed."""
    made = {state: factories.proposal_in_state(state)[0] for state in State.STAFF_VISIBLE}
    # The factory withdraws a draft, which staff never see: withdraw one under review.
    made[State.WITHDRAWN] = intake_services.run_transition(
        proposal=factories.proposal_in_state(State.SUBMITTED)[0],
        name="withdraw",
        actor=Actor.organizer_link(),
    )
    made["reviewed_by_me"] = factories.proposal_in_state(State.SUBMITTED)[0]
    return made


@pytest.mark.django_db
def test_a_reviewer_opens_the_queue_on_what_waits_for_their_review(proposals, settings):
    settings.REVIEWS_REQUIRED = 2
    reviewer = factories.staff_user(role="reviewer")
    services.save_review(
        proposal=proposals["reviewed_by_me"], reviewer=reviewer, recommendation="approve"
    )
    client = signed_in(reviewer)
    html = client.get("/reviews/").content.decode()
    assert references(html) == {proposals[State.SUBMITTED].reference}
    assert "Submitted proposals waiting for your review." in html
    assert 'aria-current="page">Needs my action' in html
    # The other views are one click away, each with its count.
    tabs = dict(re.findall(r'href="\?view=(\w+)"[^>]*>[^<]+<span[^>]*>(\d+)</span>', html))
    assert tabs == {"action": "1", "open": "4", "ended": "3", "all": "7"}
    ended = client.get("/reviews/?view=ended").content.decode()
    assert references(ended) == {
        proposals[s].reference for s in (State.APPROVED, State.DECLINED, State.WITHDRAWN)
    }
    assert len(references(client.get("/reviews/?view=all").content.decode())) == 7


@pytest.mark.django_db
def test_a_manager_opens_the_queue_on_reviewed_proposals_waiting_for_a_decision(proposals):
    manager = factories.staff_user(role="manager")
    html = signed_in(manager).get("/reviews/").content.decode()
    assert references(html) == {proposals[State.REVIEWED].reference}
    assert "Reviewed proposals waiting for your decision." in html


@pytest.mark.django_db
def test_nobody_is_asked_to_act_on_their_own_proposal():
    manager = factories.staff_user(role="manager", email="morgan@council.example.org")
    own, _ = factories.draft(organizer_emails=["morgan@council.example.org", "x@example.org"])
    own = intake_services.run_transition(proposal=own, name="submit", actor=Actor.organizer_link())
    intake_services.run_transition(proposal=own, name="complete_review", actor=Actor.automatic())
    html = signed_in(manager).get("/reviews/").content.decode()
    assert own.reference not in html and "Nothing needs your action now" in html


@pytest.mark.django_db
def test_an_address_with_filters_keeps_meaning_every_view(proposals):
    # Bookmarks made before the views existed (a status, a search, an order).
    client = signed_in(factories.staff_user(role="reviewer"))
    declined = client.get("/reviews/?state=declined").content.decode()
    assert references(declined) == {proposals[State.DECLINED].reference}
    # Each tab keeps the status and counts the declined proposals it holds (issue 23).
    tabs = dict(
        re.findall(r'href="\?state=declined&amp;view=(\w+)"[^>]*>[^<]+<span[^>]*>(\d+)', declined)
    )
    assert tabs == {"action": "0", "open": "0", "ended": "1", "all": "1"}
    assert len(references(client.get("/reviews/?sort=newest").content.decode())) == 7


def _reviewed():
    # The factory gives it two organizers.
    proposal, _ = factories.proposal_in_state(State.REVIEWED, name="Zine Librarians NYC")
    return proposal


@pytest.mark.django_db
def test_pressing_approve_shows_what_will_happen_and_does_nothing_yet():
    proposal = _reviewed()
    client = signed_in(factories.staff_user(role="manager"))
    response = client.post(
        f"/reviews/{proposal.reference}/decide/",
        {"transition": "approve", "note": "Welcome!", "expected_state": "reviewed"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Approve Zine Librarians NYC?</h1>" in html
    assert (
        "Approving lists Zine Librarians NYC in the public directory at once and emails "
        "2 organizers" in html
    )
    # Its own message box, holding what was typed.
    assert re.search(r'<textarea name="note"[^>]*>\s*Welcome!</textarea>', html)
    assert 'name="confirm" value="1"' in html and "Approve and publish" in html
    # The hint speaks of this decision, where a message is optional.
    assert "Optional. The organizers read it in the email" in html
    assert "Required to request changes or decline" not in html
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED
    assert not Meetup.objects.filter(proposal=proposal).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "effect"),
    [
        ("decline", "Declining emails 2 organizers your reason"),
        ("request_changes", "Requesting changes emails 2 organizers your message"),
    ],
)
def test_declining_and_requesting_changes_say_who_is_emailed(name, effect):
    proposal = _reviewed()
    client = signed_in(factories.staff_user(role="manager"))
    response = client.post(
        f"/reviews/{proposal.reference}/decide/",
        {"transition": name, "note": "Say more.", "expected_state": "reviewed"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and effect in html
    assert "Required: say" in html
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED


@pytest.mark.django_db
def test_a_decision_that_needs_a_message_asks_for_it_before_confirming():
    proposal = _reviewed()
    client = signed_in(factories.staff_user(role="manager"))
    response = client.post(
        f"/reviews/{proposal.reference}/decide/",
        {"transition": "decline", "note": " ", "expected_state": "reviewed"},
    )
    assert response.status_code == 400
    assert "Write a message to the organizers to decline" in response.content.decode()


@pytest.mark.django_db
def test_going_back_from_the_confirmation_keeps_the_message_and_decides_nothing():
    proposal = _reviewed()
    client = signed_in(factories.staff_user(role="manager"))
    response = client.post(
        f"/reviews/{proposal.reference}/decide/",
        {
            "transition": "decline",
            "note": "It overlaps Code4Lib.",
            "expected_state": "reviewed",
            "confirm": "1",
            "cancel": "1",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<textarea name="note"[^>]*>\s*It overlaps Code4Lib.</textarea>', html)
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED


@pytest.mark.django_db
def test_confirming_approves_and_the_page_links_to_the_group_and_its_edit_form():
    proposal = _reviewed()
    client = signed_in(factories.staff_user(role="manager"))
    response = decide(client, proposal, "approve", note="Welcome!")
    assert response.status_code == 302
    meetup = Meetup.objects.get(proposal=proposal)
    assert meetup.is_listed  # published at once
    html = client.get(response["Location"]).content.decode()
    assert "is approved, and Zine Librarians NYC is listed in the directory" in html
    assert f'href="/meetups/{meetup.slug}/">See its public page' in html
    assert f'href="/meetups/{meetup.slug}/edit/">Edit the group' in html


@pytest.mark.django_db
def test_history_reads_as_sentences(settings):
    settings.REVIEWS_REQUIRED = 1
    reviewer = factories.staff_user(role="reviewer", first_name="Ann", last_name="Lee")
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    intake_services.run_transition(
        proposal=proposal,
        name="request_changes",
        actor=staff_actor(reviewer),
        note="Say who it is for.",
    )
    intake_services.run_transition(proposal=proposal, name="resubmit", actor=Actor.organizer_link())
    services.save_review(proposal=proposal, reviewer=reviewer, recommendation="approve")
    sentences = [e["sentence"] for e in timeline.staff_timeline(proposal=proposal)]
    assert sentences == [
        "Started by the organizers",
        "Submitted by the organizers",
        "Changes requested by Ann Lee",
        "Resubmitted by the organizers, with changes",
        "Reviewed automatically after 1 of 1 reviews",
    ]
    html = signed_in(reviewer).get(f"/reviews/{proposal.reference}/").content.decode()
    history = html.split('id="history"')[1].split("</section>")[0]
    assert "<strong>Changes requested by Ann Lee</strong>:" in history
    assert "Say who it is for." in history
    assert " to Reviewed by Automatic" not in history and "Submitted to" not in history


@pytest.mark.django_db
def test_the_header_says_who_is_signed_in_and_signing_out_says_so():
    user = factories.staff_user(
        role="reviewer", email="ann@council.example.org", first_name="Ann", last_name="Lee"
    )
    client = signed_in(user)
    assert "Signed in as Ann Lee (ann@council.example.org)" in client.get("/").content.decode()
    response = client.post("/accounts/logout/", follow=True)
    html = response.content.decode()
    assert "You have signed out." in html
    assert "Signed in as" not in html
    # The message shows once, not on every page after.
    assert "You have signed out." not in client.get("/").content.decode()
