"""A listed group's vocabulary: the states of its lifecycle and the kinds of its history
rows, each with the groups of them other code asks about (as intake.workflow's State)."""

from django.db import models

# A listed group's life after approval (meetups.lifecycle runs it; see the README and docs/group-life.md).


class Lifecycle(models.TextChoices):
    ACTIVE = "active", "Active"
    CHECK_IN_DUE = "check_in_due", "Check-in due"
    LAPSED = "lapsed", "Not confirmed recently"
    ARCHIVED = "archived", "Archived"


# Groups of states, named for what code asks of them (as State's in intake.workflow). Set
# after the class: inside its body they would become members themselves.
# On the directory or on its way off it; an organizer's check-in keeps it.
Lifecycle.NOT_ARCHIVED = (Lifecycle.ACTIVE, Lifecycle.CHECK_IN_DUE, Lifecycle.LAPSED)
# Waiting for its organizers to confirm it still meets.
Lifecycle.AWAITING_CHECK_IN = (Lifecycle.CHECK_IN_DUE, Lifecycle.LAPSED)


class EventKind(models.TextChoices):
    """What a row of a group's history records (MeetupEvent.kind): its lifecycle transitions
    (named as the transitions are), then the events that leave its state as it was."""

    OPEN_CHECK_IN = "open_check_in", "Yearly check-in opened"
    LAPSE = "lapse", "Marked not confirmed recently"
    CHECK_IN = "check_in", "Checked in"
    EXTEND = "extend", "Check-in extended"
    ARCHIVE = "archive", "Archived"
    RETIRE = "retire", "Closed: no longer meeting"
    RESTORE = "restore", "Listed again"
    REMINDER = "reminder", "Check-in reminder sent"
    LAPSED_WARNING = "lapsed_warning", "Warned of archiving"
    EDIT = "edit", "Details updated"
    REVERT = "revert", "Change reverted"
    ORGANIZER_ADDED = "organizer_added", "Organizer added"
    ORGANIZER_REMOVED = "organizer_removed", "Organizer removed"
    INVITED = "invited", "Invitation sent"
    HANDOVER_OFFERED = "handover_offered", "Handover offered"
    HANDOVER_ACCEPTED = "handover_accepted", "Handover accepted"
    HANDOVER_CANCELLED = "handover_cancelled", "Handover cancelled"
    LINK_BROKEN = "link_broken", "Web address reported broken"
    LINK_MENDED = "link_mended", "Web address working again"
    NAME_CONFIRMED = "name_confirmed", "Name confirmed"
    NAME_DECLINED = "name_declined", "Name declined"


# The kinds that are lifecycle transitions, in the order pages offer them.
EventKind.TRANSITIONS = (
    EventKind.OPEN_CHECK_IN,
    EventKind.LAPSE,
    EventKind.CHECK_IN,
    EventKind.EXTEND,
    EventKind.ARCHIVE,
    EventKind.RETIRE,
    EventKind.RESTORE,
)
# Changes to the group's public details, which a program manager can revert.
EventKind.DETAIL_CHANGES = (EventKind.EDIT, EventKind.REVERT)
# Whose label already names the state it leads to: a history line does not repeat it.
EventKind.STATE_IN_LABEL = (
    EventKind.OPEN_CHECK_IN,
    EventKind.LAPSE,
    EventKind.ARCHIVE,
    EventKind.RETIRE,
)
EventKind.HANDOVERS = (
    EventKind.HANDOVER_OFFERED,
    EventKind.HANDOVER_ACCEPTED,
    EventKind.HANDOVER_CANCELLED,
)
# Answers to the yearly check-in, kept in the row's details (closing the group answers it).
EventKind.CHECK_IN_ANSWERS = (EventKind.CHECK_IN, EventKind.RETIRE)
