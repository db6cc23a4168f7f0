"""Listed groups (`groups`: the directory's groups, their public people, the page text and
version counter, and the lifecycle declared on Meetup; `vocabulary`: the lifecycle's states
and the history's kinds, with their groups) and what keeps them true after approval
(`stewardship`)."""

from ..naming import Role, format_organizers, normalize_name
from .groups import (
    LIFECYCLE_CONDITION_MESSAGES,
    LIFECYCLE_TRANSITIONS,
    NOT_ARCHIVED,
    DirectoryPage,
    DirectoryVersion,
    Meetup,
    MeetupOrganizer,
    MeetupQuerySet,
    _by_manager,
    _by_organizer,
    _by_system,
    _by_system_or_manager,
    add_months,
    name_is_free,
    not_archived_by_staff,
)
from .meetings import Meeting, MeetingChange, Place, Repeat
from .stewardship import (
    GroupContact,
    GroupLink,
    Handover,
    HistoryQuerySet,
    LinkCheck,
    MeetupEvent,
    hash_group_token,
)
from .topics import Topic
from .vocabulary import EventKind, Lifecycle

__all__ = [
    "DirectoryPage",
    "DirectoryVersion",
    "EventKind",
    "GroupContact",
    "GroupLink",
    "Handover",
    "HistoryQuerySet",
    "LIFECYCLE_CONDITION_MESSAGES",
    "LIFECYCLE_TRANSITIONS",
    "Lifecycle",
    "LinkCheck",
    "Meeting",
    "MeetingChange",
    "Meetup",
    "MeetupEvent",
    "MeetupOrganizer",
    "MeetupQuerySet",
    "NOT_ARCHIVED",
    "Place",
    "Repeat",
    "Role",
    "Topic",
    "_by_manager",
    "_by_organizer",
    "_by_system",
    "_by_system_or_manager",
    "add_months",
    "format_organizers",
    "hash_group_token",
    "name_is_free",
    "normalize_name",
    "not_archived_by_staff",
]
