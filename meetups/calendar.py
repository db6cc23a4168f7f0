"""Meetings as iCalendar (RFC 5545), with the `icalendar` package: a group's feed, the
program's feed and one meeting's "Add to calendar" file.

A repeating meeting is one VEVENT with its RRULE, its skipped dates as EXDATE, and one more
VEVENT per moved or cancelled date carrying that date's RECURRENCE-ID. UIDs name the
meeting's row, so they stay the same across edits; SEQUENCE is the meeting's counter, bumped
on every change. Times carry the program's time zone (TZID), described by a VTIMEZONE."""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vRecur

from . import meeting_words
from .models import Meeting, MeetingChange
from .schedule import (
    local,
    meeting_note,
    occurrences,
    readable,
    rule_dates,
    rule_parts,
    zone,
)

PRODID = "-//Meetup proposals//Meetings//EN"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _location(venue: str, address: str) -> str:
    return ", ".join(p for p in (venue, address) if p)


def _base_event(meeting: Meeting, *, stamp: datetime, program: bool = False) -> Event:
    """The parts every VEVENT of a meeting shares, the series' title included: a moved or
    cancelled date reads like the rest of its series."""
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    words = meeting_words.program_title if program else meeting_words.title
    event.add("summary", words(meeting))
    event.add("url", settings.SITE_URL + meeting.meetup.get_absolute_url())
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    return event


def _describe(event: Event, meeting: Meeting, *, venue: str, address: str, note: str) -> None:
    location = _location(venue, address) if meeting.in_person else meeting.public_join_url
    if location:
        event.add("location", location)
    on_request = ""
    if meeting.online and not meeting.public_join_url:
        on_request = (
            _("Also online: the organizers send the joining link on request.")
            if meeting.in_person
            else _("Online: the organizers send the joining link on request.")
        )
    description = "\n\n".join(p for p in (note, meeting.public_join_url, on_request) if p)
    if description:
        event.add("description", description)


def meeting_events(meeting: Meeting, *, stamp: datetime, program: bool = False) -> list[Event]:
    """The VEVENTs of one meeting: the series (or single date) and one per changed date;
    `program` for the program's feed, where titles name the group."""
    changes = list(meeting.changes.all())
    event = _base_event(meeting, stamp=stamp, program=program)
    event.add("dtstart", local(meeting.starts_on, meeting.start_time))
    event.add("dtend", local(meeting.starts_on, meeting.end_time))
    _describe(
        event, meeting, venue=meeting.venue, address=meeting.address, note=meeting_note(meeting)
    )
    parts = rule_parts(meeting)
    if parts is not None:
        event.add("rrule", vRecur(parts))
        skipped = [c.original_date for c in changes if c.kind == MeetingChange.Kind.SKIPPED]
        if skipped:
            event.add("exdate", [local(day, meeting.start_time) for day in skipped])
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    events = [event]
    if parts is None:
        return events
    valid = set(rule_dates(meeting))
    by_date = {o.original_date: o for o in occurrences(meeting, changes=changes)}
    for change in changes:
        occ = by_date.get(change.original_date)
        if change.kind == MeetingChange.Kind.SKIPPED or occ is None:
            continue
        if change.original_date not in valid:
            continue
        override = _base_event(meeting, stamp=stamp, program=program)
        override.add("recurrence-id", local(change.original_date, meeting.start_time))
        override.add("dtstart", occ.start)
        override.add("dtend", occ.end)
        _describe(override, meeting, venue=occ.venue, address=occ.address, note=occ.note)
        override.add("status", "CANCELLED" if occ.cancelled else "CONFIRMED")
        events.append(override)
    return events


def _timezone(meetings) -> Timezone:
    """The VTIMEZONE for the program's zone, covering the meetings' years."""
    first = min((m.starts_on for m in meetings), default=timezone.localdate())
    last = max((m.repeat_until or m.starts_on for m in meetings), default=first)
    return Timezone.from_tzinfo(
        zone(),
        first_date=datetime.combine(first - timedelta(days=366), time()),
        last_date=datetime.combine(last + timedelta(days=366), time()),
    )


def calendar_bytes(*, name: str, meetings, stamp: datetime, program: bool = False) -> bytes:
    # A meeting with a date out of range is left out (and logged), not the whole feed.
    meetings = [m for m in meetings if readable(m)]
    cal = _calendar(name)
    cal.add_component(_timezone(meetings))
    for meeting in meetings:
        for event in meeting_events(meeting, stamp=stamp, program=program):
            cal.add_component(event)
    return cal.to_ical()


def occurrence_bytes(*, name: str, occurrence, stamp: datetime) -> bytes:
    """One occurrence as its own event ("Add to calendar"): the meeting itself if it does
    not repeat, else that instance of the series (RFC 5545: same UID, RECURRENCE-ID)."""
    meeting = occurrence.meeting
    cal = _calendar(name)
    cal.add_component(_timezone([meeting]))
    event = _base_event(meeting, stamp=stamp)
    if rule_parts(meeting) is not None:
        # One instance of the series: the series' UID with this date's RECURRENCE-ID, as
        # the feed's own override would have it, so a calendar holding both shows it once.
        event.add("recurrence-id", local(occurrence.original_date, meeting.start_time))
    event.add("dtstart", occurrence.start)
    event.add("dtend", occurrence.end)
    _describe(
        event, meeting, venue=occurrence.venue, address=occurrence.address, note=occurrence.note
    )
    event.add("status", "CANCELLED" if occurrence.cancelled else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical()
