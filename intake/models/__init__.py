"""Proposals, their organizers, private access links and the append-only audit trail
(`proposals`); the time-driven reminders (`reminders`); the questions staff can add to the
form and their answers (`questions`); the staff-edited page text (`pages`).

The proposal state machine is declared on Proposal with django-fsm (its states, transition
names, permissions and conditions are intake.workflow); `intake.services.perform_transition`
is the one place that runs a transition.
"""

from ..workflow import State
from .choices import MeetingFormat, MeetingFrequency
from .introductions import IntroductionRequest
from .pages import ProgramPage
from .proposals import (
    AccessLink,
    AppendOnlyQuerySet,
    Organizer,
    Proposal,
    ProposalQuerySet,
    ProposalTransition,
    ReferenceCounter,
    declared_transition,
    hash_token,
    transition_facts,
)
from .questions import Answer, FormSection, Question, QuestionAnswered, QuestionKind
from .reminders import Reminder, ReminderKind

__all__ = [
    "AccessLink",
    "Answer",
    "AppendOnlyQuerySet",
    "FormSection",
    "IntroductionRequest",
    "MeetingFormat",
    "MeetingFrequency",
    "Organizer",
    "ProgramPage",
    "Proposal",
    "ProposalQuerySet",
    "ProposalTransition",
    "Question",
    "QuestionAnswered",
    "QuestionKind",
    "ReferenceCounter",
    "Reminder",
    "ReminderKind",
    "State",
    "declared_transition",
    "hash_token",
    "transition_facts",
]
