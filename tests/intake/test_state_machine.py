"""The proposal state machine, through the one transition service: every transition from
every state, who may take each, and the audit trail it leaves."""

import pytest
from django.conf import settings

from accounts.roles import Actor, staff_actor
from common import transitions
from intake import services
from intake.models import Proposal, ProposalTransition, State
from intake.workflow import Transition
from tests import factories

# transition -> (source states, target state), as SPEC declares it
DECLARED = {
    "submit": ({State.DRAFT}, State.SUBMITTED),
    "complete_review": ({State.SUBMITTED}, State.REVIEWED),
    "request_changes": ({State.SUBMITTED, State.REVIEWED}, State.CHANGES_REQUESTED),
    "resubmit": ({State.CHANGES_REQUESTED}, State.SUBMITTED),
    "approve": ({State.REVIEWED}, State.APPROVED),
    "decline": ({State.SUBMITTED, State.REVIEWED}, State.DECLINED),
    "withdraw": (
        {State.DRAFT, State.SUBMITTED, State.REVIEWED, State.CHANGES_REQUESTED},
        State.WITHDRAWN,
    ),
}


def permitted_actor(name: str) -> Actor:
    if name in ("submit", "resubmit", "withdraw"):
        return Actor.organizer_link()
    if name == "complete_review":
        return Actor.automatic()
    return staff_actor(factories.staff_user(role="manager"))


CASES = [(state, name) for state in State.values for name in DECLARED]


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "name"), CASES)
def test_every_transition_from_every_state(state, name):
    proposal, _ = factories.proposal_in_state(state)
    history_before = ProposalTransition.objects.filter(proposal=proposal).count()
    sources, target = DECLARED[name]
    actor = permitted_actor(name)

    if state in sources:
        result = services.run_transition(
            proposal=proposal, name=name, actor=actor, note="A message to the organizers."
        )
        assert result.state == target
        assert Proposal.objects.get(pk=proposal.pk).state == target
        record = ProposalTransition.objects.filter(proposal=proposal).last()
        assert (record.transition, record.from_state, record.to_state) == (name, state, target)
        assert record.note == "A message to the organizers."
        assert record.actor_label == actor.label
        assert ProposalTransition.objects.filter(proposal=proposal).count() == history_before + 1
    else:
        with pytest.raises(transitions.NotAvailable) as excinfo:
            services.run_transition(proposal=proposal, name=name, actor=actor, note="x")
        assert proposal.reference in str(excinfo.value)
        assert Proposal.objects.get(pk=proposal.pk).state == state
        assert ProposalTransition.objects.filter(proposal=proposal).count() == history_before


ROLES = ["anonymous", "organizer", "automatic", "plain_staff", "reviewer", "manager", "superuser"]

# Who may take each transition (given a proposal in a source state).
ALLOWED = {
    "submit": {"organizer"},
    "resubmit": {"organizer"},
    "withdraw": {"organizer"},
    "complete_review": {"automatic", "manager", "superuser"},
    "request_changes": {"reviewer", "manager", "superuser"},
    "approve": {"manager", "superuser"},
    "decline": {"manager", "superuser"},
}

SOURCE_FOR = {
    "submit": State.DRAFT,
    "resubmit": State.CHANGES_REQUESTED,
    "withdraw": State.SUBMITTED,
    "complete_review": State.SUBMITTED,
    "request_changes": State.REVIEWED,
    "approve": State.REVIEWED,
    "decline": State.SUBMITTED,
}


def actor_for(role: str) -> Actor:
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": lambda: staff_actor(AnonymousUser()),
        "organizer": Actor.organizer_link,
        "automatic": Actor.automatic,
        "plain_staff": lambda: staff_actor(factories.staff_user(role="none", is_staff=True)),
        "reviewer": lambda: staff_actor(factories.staff_user(role="reviewer")),
        "manager": lambda: staff_actor(factories.staff_user(role="manager")),
        "superuser": lambda: staff_actor(factories.superuser()),
    }[role]()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ALLOWED))
def test_permissions_for_each_role(name, role):
    proposal, _ = factories.proposal_in_state(SOURCE_FOR[name])
    actor = actor_for(role)
    if role in ALLOWED[name]:
        result = services.run_transition(proposal=proposal, name=name, actor=actor, note="ok")
        assert result.state == DECLARED[name][1]
        assert name in [r.transition for r in result.transitions.all()]
    else:
        with pytest.raises(transitions.Forbidden):
            services.run_transition(proposal=proposal, name=name, actor=actor, note="ok")
        assert Proposal.objects.get(pk=proposal.pk).state == SOURCE_FOR[name]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["request_changes", "approve", "decline"])
def test_staff_who_organize_the_proposal_cannot_decide_it(name):
    manager = factories.staff_user(role="manager", email="dana@council.example.org")
    proposal, _ = factories.proposal_in_state(
        SOURCE_FOR[name], organizer_emails=["Dana@Council.example.org", "x@example.org"]
    )
    with pytest.raises(transitions.Forbidden):
        services.run_transition(proposal=proposal, name=name, actor=staff_actor(manager), note="ok")
    assert name not in services.available_transitions(proposal=proposal, actor=staff_actor(manager))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["request_changes", "decline"])
def test_messages_to_organizers_are_required(name):
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    manager = factories.staff_user(role="manager")
    with pytest.raises(transitions.Refused, match="message to the organizers"):
        services.run_transition(proposal=proposal, name=name, actor=staff_actor(manager))
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
    assert proposal.transitions.count() == 1


@pytest.mark.django_db
def test_submit_needs_enough_organizers(settings):
    proposal, _ = factories.draft()
    settings.MIN_ORGANIZERS = 3
    with pytest.raises(transitions.NotAvailable, match="at least 3 organizers"):
        services.run_transition(proposal=proposal, name="submit", actor=Actor.organizer_link())
    assert Proposal.objects.get(pk=proposal.pk).state == State.DRAFT


@pytest.mark.django_db
def test_approve_refused_when_the_name_is_already_listed():
    from meetups.models import Meetup

    proposal, _ = factories.proposal_in_state(State.REVIEWED, name="Zine Librarians")
    Meetup.objects.create(name="zine librarians ", slug="zine-librarians")
    manager = factories.staff_user(role="manager")
    with pytest.raises(transitions.NotAvailable, match="already has this name"):
        services.run_transition(proposal=proposal, name="approve", actor=staff_actor(manager))
    assert Proposal.objects.get(pk=proposal.pk).state == State.REVIEWED


@pytest.mark.django_db
def test_stale_expected_state_changes_nothing():
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    manager = factories.staff_user(role="manager")
    services.run_transition(
        proposal=proposal, name="decline", actor=staff_actor(manager), note="No room this year."
    )
    with pytest.raises(services.ProposalChanged, match="it is now declined"):
        services.run_transition(
            proposal=proposal,
            name="request_changes",
            actor=staff_actor(manager),
            note="Say more.",
            expected_state=State.SUBMITTED,
        )
    assert proposal.transitions.count() == 2


@pytest.mark.django_db
def test_unknown_transition_name_is_refused():
    proposal, _ = factories.draft()
    with pytest.raises(transitions.NotAvailable):
        services.run_transition(proposal=proposal, name="delete", actor=Actor.automatic())


@pytest.mark.django_db
def test_available_transitions_per_actor():
    proposal, _ = factories.proposal_in_state(State.REVIEWED)
    reviewer = staff_actor(factories.staff_user(role="reviewer"))
    manager = staff_actor(factories.staff_user(role="manager"))
    assert services.available_transitions(proposal=proposal, actor=reviewer) == ["request_changes"]
    assert services.available_transitions(proposal=proposal, actor=manager) == [
        "request_changes",
        "approve",
        "decline",
    ]
    assert services.available_transitions(proposal=proposal, actor=Actor.organizer_link()) == [
        "withdraw"
    ]


@pytest.mark.django_db
def test_min_organizers_default_is_two():
    assert settings.MIN_ORGANIZERS == 2


def test_the_transition_names_are_exactly_the_declared_transitions():
    """Transition lists the state machine's methods; a transition added to one and not the
    other would be missing from every page that offers actions."""
    declared = list(Proposal._meta.get_field("state").get_all_transitions(Proposal))
    assert {t.name for t in declared} == set(Transition) == set(DECLARED)
    for t in declared:
        assert {"label", "past", "emails"} <= set(t.custom), t.name


def test_every_state_is_either_open_or_ended_and_the_groups_agree_with_the_machine():
    assert set(State.OPEN) | set(State.ENDED) == set(State)
    assert not set(State.OPEN) & set(State.ENDED)
    assert set(State.OPEN) == DECLARED["withdraw"][0]
    assert set(State.STAFF_VISIBLE) == set(State) - {State.DRAFT}
    assert set(State.EDITABLE) == {State.DRAFT, State.CHANGES_REQUESTED}
    assert set(State.UNDER_REVIEW) == DECLARED["decline"][0]
