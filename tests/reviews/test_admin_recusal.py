"""The admin keeps the workspace's rules: a staff member who organizes a proposal (same email)
reads none of its internal comments or review notes there either; drafts stay private to
their organizers; proposals, reviews and comments are read-only, and a proposal changes
only through the transition service and its history."""

import pytest
from django.test import Client

from intake.models import Proposal, ProposalTransition, State
from reviews import services
from reviews.models import Comment, Review
from tests import factories

SECRET_COMMENT = "Internal: the last group of this organizer folded after two meetings."
SECRET_NOTES = "Private review notes: weak audience section."


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def conflicted_setup():
    """A submitted proposal organized by a program manager, with an internal comment and a
    review from another reviewer."""
    manager = factories.staff_user(role="manager", is_staff=True, email="pm@council.example.org")
    proposal, _ = factories.proposal_in_state(State.SUBMITTED, name="Manager's Own Group")
    organizer = proposal.organizers.first()
    organizer.email = "PM@council.example.org"
    organizer.save()
    reviewer = factories.staff_user(role="reviewer")
    comment = services.add_comment(
        proposal=proposal, author=reviewer, body=SECRET_COMMENT, visibility="internal"
    )
    review = services.save_review(
        proposal=proposal, reviewer=reviewer, recommendation="decline", notes=SECRET_NOTES
    )
    return manager, Proposal.objects.get(pk=proposal.pk), comment, review


@pytest.mark.django_db
def test_organizer_manager_cannot_read_internal_comment_of_own_proposal_in_admin():
    manager, _proposal, comment, _review = conflicted_setup()
    client = admin_client(manager)
    page = client.get(f"/admin/reviews/comment/{comment.pk}/change/", follow=True)
    assert SECRET_COMMENT not in page.content.decode()
    listing = client.get("/admin/reviews/comment/?q=")
    assert SECRET_COMMENT[:30] not in listing.content.decode()
    # An uninvolved manager still reads it.
    other = factories.staff_user(role="manager", is_staff=True)
    page = admin_client(other).get(f"/admin/reviews/comment/{comment.pk}/change/")
    assert page.status_code == 200
    assert SECRET_COMMENT in page.content.decode()


@pytest.mark.django_db
def test_organizer_manager_cannot_read_review_notes_of_own_proposal_in_admin():
    manager, _proposal, _comment, review = conflicted_setup()
    client = admin_client(manager)
    page = client.get(f"/admin/reviews/review/{review.pk}/change/", follow=True)
    assert SECRET_NOTES not in page.content.decode()
    assert (
        client.get("/admin/reviews/review/").content.decode().count("Manager&#x27;s Own Group") == 0
    )
    other = factories.staff_user(role="manager", is_staff=True)
    page = admin_client(other).get(f"/admin/reviews/review/{review.pk}/change/")
    assert SECRET_NOTES in page.content.decode()


@pytest.mark.django_db
def test_organizer_manager_cannot_rewrite_own_proposal_in_admin():
    manager, proposal, _comment, _review = conflicted_setup()
    before = ProposalTransition.objects.count()
    page = admin_client(manager).get(f"/admin/intake/proposal/{proposal.pk}/change/")
    assert page.status_code == 200
    assert 'name="description"' not in page.content.decode()
    admin_client(manager).post(
        f"/admin/intake/proposal/{proposal.pk}/change/",
        {"name": "Rewritten", "description": "Rewritten by its own organizer."},
    )
    proposal.refresh_from_db()
    assert proposal.name == "Manager's Own Group"
    assert ProposalTransition.objects.count() == before


@pytest.mark.django_db
def test_any_manager_cannot_rewrite_a_proposals_answers_in_admin():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    manager = factories.staff_user(role="manager", is_staff=True)
    client = admin_client(manager)
    page = client.get(f"/admin/intake/proposal/{proposal.pk}/change/").content.decode()
    for field in ("name", "description", "audience", "existing_url"):
        assert f'name="{field}"' not in page
    data = {
        "name": "Rewritten",
        "description": "Rewritten.",
        "audience": "x",
        "differs_from_existing": "x",
        "activities": "x",
        "meeting_frequency": "monthly",
        "meeting_format": "hybrid",
        "organizers-TOTAL_FORMS": "0",
        "organizers-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    client.post(f"/admin/intake/proposal/{proposal.pk}/change/", data)
    assert Proposal.objects.get(pk=proposal.pk).description != "Rewritten."


@pytest.mark.django_db
def test_drafts_are_neither_listed_nor_readable_in_admin():
    draft, _ = factories.draft(name="Secret Draft Circle")
    manager = factories.staff_user(role="manager", is_staff=True)
    for client in (admin_client(manager), admin_client(factories.superuser())):
        listing = client.get("/admin/intake/proposal/").content.decode()
        assert "Secret Draft Circle" not in listing
        page = client.get(f"/admin/intake/proposal/{draft.pk}/change/", follow=True)
        assert "Secret Draft Circle" not in page.content.decode()
        history = client.get("/admin/intake/proposaltransition/").content.decode()
        assert "Secret Draft Circle" not in history


@pytest.mark.django_db
def test_reviews_and_comments_cannot_be_changed_or_deleted_in_admin():
    _manager, _proposal, comment, review = conflicted_setup()
    client = admin_client(factories.superuser())
    client.post(f"/admin/reviews/comment/{comment.pk}/delete/", {"post": "yes"})
    client.post(f"/admin/reviews/review/{review.pk}/delete/", {"post": "yes"})
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert Review.objects.filter(pk=review.pk).exists()
