"""Labels for a group's history on its private and staff pages."""

from datetime import date
from urllib.parse import urlsplit

from django import template
from django.conf import settings

from common import text

from .. import meeting_words
from ..group_details import DETAIL_FIELDS
from ..models import EventKind

register = template.Library()


@register.filter
def group_event_label(kind: str) -> str:
    if kind in EventKind.values:
        return EventKind(kind).label
    return kind.replace("_", " ").capitalize()


@register.filter
def actor_name(label: str) -> str:
    """Who did it, as a history line says it: "Organizer Olivia" is Olivia (the label of the
    event, "Organizer added", already says what they are)."""
    name = label.removeprefix("Organizer ").strip()
    return name if name else label


@register.filter
def group_field_label(field: str) -> str:
    return DETAIL_FIELDS.get(field, field)


@register.filter
def confirmed_recently(groups) -> list:
    return [g for g in groups if g.confirmed_recently]


@register.filter
def not_confirmed_recently(groups) -> list:
    return [g for g in groups if not g.confirmed_recently]


@register.filter
def iso_date(value):
    """A date kept as ISO text in a history row's details, as a date for |date."""
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.filter
def possessive(name: str) -> str:
    """ "Code4Lib's", but "Zine Librarians'" (common.text.possessive)."""
    return text.possessive(name)


@register.filter
def next_of(nexts, meetup):
    """The group's next meeting from a {meetup id: occurrence} map (None without one)."""
    return (nexts or {}).get(meetup.pk)


@register.filter
def meeting_title(meeting) -> str:
    """The meeting's title as meetups.meeting_words words it (pages, feeds and .ics alike)."""
    return meeting_words.title(meeting)


@register.filter
def meeting_rule(meeting) -> str:
    """The meeting's repeat rule in words, from the stored rule."""
    return meeting_words.rule_words(meeting)


@register.filter
def webcal(path: str) -> str:
    """A feed's path as the webcal:// address calendar apps subscribe to."""
    return f"webcal://{urlsplit(settings.SITE_URL).netloc}{path}"
