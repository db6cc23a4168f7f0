"""Nothing but the transition service writes the state; the history is append-only;
references are unique and human-readable."""

import re
import threading

import pytest
from django.db import connection, transaction

from accounts.roles import Actor
from intake import services
from intake.models import Proposal, ProposalTransition, State
from tests import factories


@pytest.mark.django_db
def test_state_cannot_be_assigned_directly():
    proposal, _ = factories.draft()
    with pytest.raises(AttributeError):
        proposal.state = State.APPROVED


@pytest.mark.django_db
def test_state_cannot_be_written_by_queryset_update():
    proposal, _ = factories.draft()
    with pytest.raises(ValueError, match="only through intake.services"):
        Proposal.objects.filter(pk=proposal.pk).update(state=State.APPROVED)
    assert Proposal.objects.get(pk=proposal.pk).state == State.DRAFT


@pytest.mark.django_db
def test_history_rows_cannot_be_changed_or_deleted():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    record = proposal.transitions.get()
    record.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        record.save()
    with pytest.raises(ValueError, match="append-only"):
        record.delete()
    with pytest.raises(ValueError, match="append-only"):
        ProposalTransition.objects.filter(pk=record.pk).update(note="x")
    with pytest.raises(ValueError, match="append-only"):
        ProposalTransition.objects.filter(pk=record.pk).delete()
    assert ProposalTransition.objects.get(pk=record.pk).note == ""


@pytest.mark.postgres
@pytest.mark.django_db
def test_database_refuses_to_rewrite_history_even_with_raw_sql():
    from django.db import DatabaseError

    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    for statement in (
        "UPDATE intake_proposaltransition SET note = 'forged'",
        "DELETE FROM intake_proposaltransition",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert proposal.transitions.get().note == ""


@pytest.mark.django_db
def test_snapshot_is_kept_at_submission_and_changes_are_listed():
    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED, name="Map Makers")
    content = factories.proposal_content(name="Map and GIS Makers", audience="GIS librarians.")
    services.update_draft(
        proposal=proposal,
        content=content,
        organizers=[
            services.OrganizerData(name=o.name, email=o.email, institution=o.institution)
            for o in proposal.organizers.all()
        ],
    )
    services.submit_for_review(proposal=Proposal.objects.get(pk=proposal.pk))
    changes = {c["field"]: c for c in services.changes_since_previous_submission(proposal=proposal)}
    assert changes["name"]["before"] == "Map Makers"
    assert changes["name"]["after"] == "Map and GIS Makers"
    assert changes["audience"]["after"] == "GIS librarians."
    assert "description" not in changes


@pytest.mark.django_db
def test_organizers_cannot_edit_once_submitted():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    with pytest.raises(services.NotEditable):
        services.update_draft(
            proposal=proposal,
            content=factories.proposal_content(),
            organizers=factories.organizers(),
        )


@pytest.mark.django_db
def test_references_are_sequential_per_year():
    first, _ = factories.draft()
    second, _ = factories.draft()
    assert re.fullmatch(r"MTG-\d{4}-\d{4}", first.reference)
    year, number = first.reference.split("-")[1:]
    assert second.reference == f"MTG-{year}-{int(number) + 1:04d}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_drafts_get_distinct_references():
    references, errors = [], []

    def make():
        try:
            proposal, _ = factories.draft()
            references.append(proposal.reference)
        except Exception as exc:  # the assertion below shows it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(references)) == 8


@pytest.mark.django_db
def test_only_the_token_hash_is_stored():
    proposal, token = factories.draft()
    link = proposal.access_links.get()
    assert token not in link.token_hash
    assert len(token) >= 40
    assert services.proposal_for_token(token) == proposal


@pytest.mark.django_db
def test_withdrawn_by_organizer_is_audited_with_reason():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    services.run_transition(
        proposal=proposal, name="withdraw", actor=Actor.organizer_link(), note="We merged."
    )
    record = proposal.transitions.last()
    assert (record.transition, record.actor_label, record.note) == (
        "withdraw",
        "Organizer",
        "We merged.",
    )
