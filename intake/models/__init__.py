"""Proposals, their organizers, private access links and the append-only audit trail
(`proposals`, `history`); the time-driven reminders (`reminders`); the questions staff can add to the
form and their answers (`questions`); the staff-edited page text (`pages`).

The proposal state machine is declared on Proposal with django-fsm (its states, transition
names, permissions and conditions are intake.workflow); the one transition runner
(common.transitions, through `intake.services.run_transition`) is the one place that runs a
transition.
"""

from ..workflow import State
from .choices import MeetingFormat, MeetingFrequency
from .history import AppendOnlyQuerySet, ProposalTransition
from .introductions import IntroductionRequest
from .pages import ProgramPage
from .proposals import (
    AccessLink,
    Organizer,
    Proposal,
    ProposalQuerySet,
    ReferenceCounter,
    hash_token,
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
    "hash_token",
]
