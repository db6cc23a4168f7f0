"""The review queue: counts, filters, search, order, "waiting for my review", pages, and a
number of queries that does not grow with the number of proposals."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Actor, staff_actor
from intake import services as intake_services
from intake.models import State
from reviews import services
from tests import factories


def references(html: str) -> list[str]:
    return re.findall(r'href="/reviews/(MTG-\d{4}-\d{4})/"', html)


@pytest.fixture
def reviewer_client(client):
    user = factories.staff_user(role="reviewer", email="rev@council.example.org")
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.django_db
def test_counts_per_state_and_drafts_only_counted(reviewer_client):
    for state in (State.SUBMITTED, State.SUBMITTED, State.REVIEWED, State.DECLINED):
        factories.proposal_in_state(state)
    draft, _ = factories.draft()
    html = reviewer_client.get("/reviews/").content.decode()
    assert "Every status: 4" in html
    assert "Submitted: 2" in html
    assert "Reviewed: 1" in html
    assert "Declined: 1" in html
    assert "Drafts are not shown" in html and "(1 not submitted yet)" in html
    assert draft.reference not in html


@pytest.mark.django_db
def test_filter_by_state(reviewer_client):
    submitted, _ = factories.proposal_in_state(State.SUBMITTED)
    reviewed, _ = factories.proposal_in_state(State.REVIEWED)
    html = reviewer_client.get("/reviews/?state=reviewed").content.decode()
    assert references(html) == [reviewed.reference]
    # An unknown state shows everything rather than failing.
    html = reviewer_client.get("/reviews/?state=nonsense").content.decode()
    assert set(references(html)) == {submitted.reference, reviewed.reference}


@pytest.mark.django_db
def test_search_by_reference_name_and_organizer(reviewer_client):
    zines, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine Librarians")
    maps, _ = factories.proposal_in_state(State.SUBMITTED, name="Map Collectors")
    assert references(reviewer_client.get("/reviews/?q=zine").content.decode()) == [zines.reference]
    assert references(reviewer_client.get(f"/reviews/?q={maps.reference}").content.decode()) == [
        maps.reference
    ]
    organizer = maps.organizers.first()
    by_name = reviewer_client.get("/reviews/", {"q": organizer.name}).content.decode()
    assert references(by_name) == [maps.reference]
    by_email = reviewer_client.get("/reviews/", {"q": organizer.email.upper()}).content.decode()
    assert references(by_email) == [maps.reference]
    html = reviewer_client.get("/reviews/?q=nobody-at-all").content.decode()
    assert "No proposals match" in html


@pytest.mark.django_db
def test_a_filter_that_cannot_be_used_is_named_and_the_others_still_apply(reviewer_client):
    zines, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine Librarians")
    factories.proposal_in_state(State.SUBMITTED, name="Map Collectors")
    response = reviewer_client.get("/reviews/", {"state": "archived-long-ago", "q": "zine"})
    assert response.status_code == 200
    html = response.content.decode()
    assert references(html) == [zines.reference]  # the search still applies
    assert "Some filters in this address could not be used" in html
    assert "Status: Select a valid choice." in html and "It was left out." in html
    hostile = reviewer_client.get("/reviews/", {"state": "<script>x</script>"}).content.decode()
    assert "<script>x</script>" not in hostile and "&lt;script&gt;x&lt;/script&gt;" in hostile
    # A NUL character in the search is dropped, not a reason to ignore the search.
    html = reviewer_client.get("/reviews/", {"q": "zi\x00ne"}).content.decode()
    assert references(html) == [zines.reference]
    assert "could not be used" not in html


@pytest.mark.django_db
def test_sort_by_age(reviewer_client):
    first, _ = factories.proposal_in_state(State.SUBMITTED)
    second, _ = factories.proposal_in_state(State.SUBMITTED)
    third, _ = factories.proposal_in_state(State.SUBMITTED)
    oldest = references(reviewer_client.get("/reviews/").content.decode())
    assert oldest == [first.reference, second.reference, third.reference]
    newest = references(reviewer_client.get("/reviews/?sort=newest").content.decode())
    assert newest == [third.reference, second.reference, first.reference]


@pytest.mark.django_db
def test_waiting_for_my_review(reviewer_client, settings):
    settings.REVIEWS_REQUIRED = 2
    done, _ = factories.proposal_in_state(State.SUBMITTED)
    waiting, _ = factories.proposal_in_state(State.SUBMITTED)
    reviewed, _ = factories.proposal_in_state(State.REVIEWED)
    factories.proposal_in_state(State.DECLINED)
    mine, _ = factories.draft(organizer_emails=["rev@council.example.org", "x@example.org"])
    intake_services.run_transition(proposal=mine, name="submit", actor=Actor.organizer_link())
    services.save_review(proposal=done, reviewer=reviewer_client.user, recommendation="approve")

    html = reviewer_client.get("/reviews/?mine=on").content.decode()
    # Not the one reviewed, not the decided one, not their own proposal.
    assert set(references(html)) == {waiting.reference, reviewed.reference}
    everything = reviewer_client.get("/reviews/?view=all").content.decode()
    assert "including yours" in everything


@pytest.mark.django_db
def test_resubmitted_proposal_waits_for_a_fresh_review(reviewer_client):
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    user = reviewer_client.user
    services.save_review(proposal=proposal, reviewer=user, recommendation="request_changes")
    proposal.refresh_from_db()
    intake_services.run_transition(
        proposal=proposal, name="request_changes", actor=staff_actor(user), note="More."
    )
    intake_services.run_transition(proposal=proposal, name="resubmit", actor=Actor.organizer_link())
    html = reviewer_client.get("/reviews/?mine=on").content.decode()
    assert references(html) == [proposal.reference]


@pytest.mark.django_db
def test_pages_of_25(reviewer_client):
    made = [factories.proposal_in_state(State.SUBMITTED)[0].reference for _ in range(27)]
    first = reviewer_client.get("/reviews/?sort=oldest").content.decode()
    assert references(first) == made[:25]
    assert "27 proposals" in first
    next_link = re.search(r'href="\?(sort=oldest&amp;after=\d+)">Next page', first)
    assert next_link
    second = reviewer_client.get("/reviews/?" + next_link.group(1).replace("&amp;", "&"))
    assert references(second.content.decode()) == made[25:]
    assert "Next page" not in second.content.decode()
    # The last page link shows the last 25, from the end.
    assert "sort=oldest&amp;page=last" in first
    last = reviewer_client.get("/reviews/?sort=oldest&page=last").content.decode()
    assert references(last) == made[2:]


def _make_submitted(count: int):
    """Many submitted proposals, quickly, each with reviews and comments to show."""
    reviewer = factories.staff_user(role="reviewer")
    for _ in range(count):
        proposal, _ = factories.draft()
        proposal = intake_services.run_transition(
            proposal=proposal, name="submit", actor=Actor.organizer_link()
        )
        services.add_comment(proposal=proposal, author=reviewer, body="Hm.", visibility="internal")


def _queue_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/reviews/", "/reviews/?q=Circle&mine=on&sort=newest", "/reviews/?state=submitted"]
)
def test_query_count_does_not_grow_with_proposals(reviewer_client, url):
    _make_submitted(5)
    small = _queue_queries(reviewer_client, url)
    _make_submitted(195)
    large = _queue_queries(reviewer_client, url)
    assert large == small
    # Sign-in (3), the counts' version and the counts themselves (3, as the proposals just
    # changed), the view counts, the filtered count, the page's keys, its rows, organizers.
    assert small <= 11
