"""Who may open each reviewer page and take each decision: anonymous visitors, organizers
holding a private link, signed-in people without a role, reviewers, program managers and
superusers."""

import pytest

from accounts.roles import Actor
from intake import services as intake_services
from intake.models import Proposal, ProposalTransition, State
from intake.workflow import Transition
from reviews.models import Comment, Review
from tests import factories

from .helpers import ROLES, STAFF_ROLES, client_for, decide


def _urls(proposal):
    ref = proposal.reference
    return [
        ("get", "/reviews/", {}),
        ("get", "/reviews/?state=submitted&q=Circle&sort=newest&mine=on", {}),
        ("get", f"/reviews/{ref}/", {}),
        ("post", f"/reviews/{ref}/review/", {"recommendation": "approve", "notes": "Good."}),
        ("post", f"/reviews/{ref}/comment/", {"body": "Looks fine.", "visibility": "internal"}),
        (
            "post",
            f"/reviews/{ref}/decide/",
            {
                "transition": "request_changes",
                "note": "More detail.",
                "expected_state": "submitted",
            },
        ),
    ]


URL_CASES = [(role, index) for role in ROLES for index in range(6)]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "index"), URL_CASES)
def test_every_reviewer_url_for_every_role(role, index):
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    client, user = client_for(role, token=token)
    method, url, data = _urls(proposal)[index]
    response = getattr(client, method)(url, data)
    history = ProposalTransition.objects.filter(proposal=proposal).count()

    if role in ("anonymous", "organizer"):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif role == "plain_user":
        assert response.status_code == 403
        assert "You do not have access to this page" in response.content.decode()
    else:
        assert response.status_code in (200, 302)
        if method == "get":
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]
    if role not in STAFF_ROLES:
        # Nothing was written by anyone refused.
        assert Review.objects.count() == 0
        assert Comment.objects.count() == 0
        assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
        assert history == 1


@pytest.mark.django_db
def test_drafts_are_not_shown_to_staff(client):
    proposal, _ = factories.draft()
    client.force_login(factories.staff_user(role="manager"))
    assert client.get(f"/reviews/{proposal.reference}/").status_code == 404
    assert proposal.reference not in client.get("/reviews/").content.decode()


@pytest.mark.django_db
def test_unknown_reference_is_not_found(client):
    client.force_login(factories.staff_user())
    assert client.get("/reviews/MTG-1999-0001/").status_code == 404


# Every transition, for every role, through the decision form.

SOURCE = {
    "submit": State.DRAFT,
    "complete_review": State.SUBMITTED,
    "request_changes": State.SUBMITTED,
    "resubmit": State.CHANGES_REQUESTED,
    "approve": State.REVIEWED,
    "decline": State.REVIEWED,
    "withdraw": State.SUBMITTED,
}
ALLOWED = {
    "complete_review": {"manager", "superuser"},
    "request_changes": {"reviewer", "manager", "superuser"},
    "approve": {"manager", "superuser"},
    "decline": {"manager", "superuser"},
    # Organizer transitions are never taken from the reviewer workspace.
    "submit": set(),
    "resubmit": set(),
    "withdraw": set(),
}
TRANSITION_CASES = [(role, name) for role in ROLES for name in SOURCE]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), TRANSITION_CASES)
def test_every_transition_for_every_role(role, name):
    proposal, token = factories.proposal_in_state(SOURCE[name])
    client, user = client_for(role, token=token)
    before = ProposalTransition.objects.filter(proposal=proposal).count()
    response = decide(client, proposal, name, note="Please say who the group is for.")
    after = Proposal.objects.get(pk=proposal.pk)
    records = ProposalTransition.objects.filter(proposal=proposal)

    if role in ALLOWED[name]:
        assert response.status_code == 302
        assert after.state != SOURCE[name]
        assert records.count() == before + 1
        record = records.last()
        assert record.transition == name
        assert record.actor == user
    else:
        assert after.state == SOURCE[name]
        assert records.count() == before
        if role in ("anonymous", "organizer"):
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role == "plain_user":
            assert response.status_code == 403
        elif SOURCE[name] == State.DRAFT:
            assert response.status_code == 404  # staff never see drafts
        else:
            assert response.status_code == 400
            assert "not open to you now" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize(
    "state", [s for s in State.values if s != State.DRAFT], ids=lambda s: str(s)
)
def test_buttons_shown_are_exactly_the_permitted_transitions(role, state):
    proposal, _ = factories.proposal_in_state(state)
    client, user = client_for(role)
    html = client.get(f"/reviews/{proposal.reference}/").content.decode()
    expected = {
        name
        for name in intake_services.available_transitions(
            proposal=proposal, actor=Actor.staff(user)
        )
        if name not in ("submit", "resubmit", "withdraw")
    }
    shown = {name for name in Transition if f'name="transition" value="{name}"' in html}
    assert shown == expected
    if role == "reviewer" and state in (State.SUBMITTED, State.REVIEWED):
        assert shown == {"request_changes"}
    if role != "reviewer" and state == State.REVIEWED:
        assert shown == {"request_changes", "approve", "decline"}


@pytest.mark.django_db
def test_staff_who_organize_a_proposal_cannot_review_comment_or_decide_it(client):
    manager = factories.staff_user(role="manager", email="dual@council.example.org")
    proposal, _ = factories.draft(organizer_emails=["dual@council.example.org", "b@example.org"])
    proposal = intake_services.perform_transition(
        proposal=proposal, name="submit", actor=Actor.organizer_link()
    )
    other = factories.staff_user(role="reviewer")
    Comment.objects.create(proposal=proposal, author=other, visibility="internal", body="Hush.")
    client.force_login(manager)

    page = client.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "You are one of the organizers of this proposal" in page
    assert 'name="transition"' not in page
    assert "Save review" not in page
    assert "Hush." not in page  # internal comments are hidden from them

    response = client.post(
        f"/reviews/{proposal.reference}/review/", {"recommendation": "approve", "notes": ""}
    )
    assert response.status_code == 409
    assert "so you cannot review it" in response.content.decode()
    assert not Review.objects.exists()

    response = client.post(
        f"/reviews/{proposal.reference}/comment/", {"body": "Mine!", "visibility": "shared"}
    )
    assert response.status_code == 409
    assert not Comment.objects.filter(body="Mine!").exists()

    response = decide(client, proposal, "decline", note="No.")
    assert response.status_code == 403
    assert "so you cannot decide it" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
