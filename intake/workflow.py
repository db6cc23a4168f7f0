"""The vocabulary of the proposal state machine declared on intake.models.Proposal: its
states and the groups of them other code asks about, the transitions' names, and who may
take a transition (permissions) and when (conditions), with what a person reads when a
condition is not met."""

from enum import StrEnum

from django.conf import settings
from django.db import models

from common.actors import Actor
from meetups.models import Meetup


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    REVIEWED = "reviewed", "Reviewed"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Groups of states, named for what the code asks of them (as pretalx's SubmissionStates).
# Set after the class: inside its body they would become members themselves.
# Not decided yet: the organizers may still withdraw.
State.OPEN = (State.DRAFT, State.SUBMITTED, State.REVIEWED, State.CHANGES_REQUESTED)
# Decided one way or the other: nothing is left to do.
State.ENDED = (State.APPROVED, State.DECLINED, State.WITHDRAWN)
# The organizers may change their answers.
State.EDITABLE = (State.DRAFT, State.CHANGES_REQUESTED)
# Reviewers may review, and staff may request changes or decline.
State.UNDER_REVIEW = (State.SUBMITTED, State.REVIEWED)
# Organizers and staff write to each other while the proposal is being considered, and
# after approval (organizers change, plans change).
State.IN_CONVERSATION = (
    State.SUBMITTED,
    State.REVIEWED,
    State.CHANGES_REQUESTED,
    State.APPROVED,
)
# Staff never see drafts: they are the organizer's private work until submitted.
State.STAFF_VISIBLE = tuple(s for s in State if s != State.DRAFT)


class Transition(StrEnum):
    """The names of the proposal's transitions, in the order pages offer them. Each is a
    method of Proposal decorated with @transition; its `custom` holds the facts other apps
    read (common.transitions.facts)."""

    SUBMIT = "submit"
    COMPLETE_REVIEW = "complete_review"
    REQUEST_CHANGES = "request_changes"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


# Permissions for transitions. django-fsm calls them with (proposal, actor).
def by_organizer(proposal, actor: Actor) -> bool:
    return actor.organizer


def by_organizer_or_stale_by_system(proposal, actor: Actor) -> bool:
    # The system withdraws only a proposal whose organizers never answered a request for
    # changes (reviews.reminders, after STALE_WITHDRAW_DAYS).
    return actor.organizer or (actor.system and proposal.state == State.CHANGES_REQUESTED)


def by_uninvolved_staff(proposal, actor: Actor) -> bool:
    return actor.is_reviewer and not proposal.has_organizer_email(actor.email)


def by_uninvolved_manager(proposal, actor: Actor) -> bool:
    return actor.is_program_manager and not proposal.has_organizer_email(actor.email)


def automatically_or_by_manager(proposal, actor: Actor) -> bool:
    return actor.system or by_uninvolved_manager(proposal, actor)


# Conditions for transitions. django-fsm calls them with the proposal.
def has_enough_organizers(proposal) -> bool:
    return proposal.organizers.count() >= settings.MIN_ORGANIZERS


def has_agreements(proposal) -> bool:
    return proposal.agrees_to_guidelines and proposal.agrees_to_code_of_conduct


def name_is_not_listed(proposal) -> bool:
    return not Meetup.objects.name_taken(proposal.name)


# What a person reads about each condition when it is not met (the runner fills in the
# setting it names).
CONDITION_MESSAGES = {
    has_enough_organizers: "it needs at least {settings.MIN_ORGANIZERS} organizers",
    has_agreements: "the program guidelines and code of conduct must be agreed to",
    name_is_not_listed: "a listed group already has this name",
}
