"""Calendar feeds: they parse with icalendar and expand, with an independent library
(recurring-ical-events), to the same occurrences the group's page shows, across both
daylight-saving changes and a year's end; moved and cancelled dates come out right; a lapsed
group's meetings leave its feed and the program's the night it lapses; conditional requests
are answered 304."""

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
import recurring_ical_events
from django.utils import timezone

from meetups import meetings as services
from meetups import nightly
from meetups.models import Lifecycle, Meeting, MeetingChange, Place, Repeat
from meetups.schedule import occurrences
from tests import factories
from tests.meetups.helpers import noon, set_lifecycle_days

pytestmark = pytest.mark.django_db


def monthly(meetup, **fields) -> Meeting:
    """Second Tuesday of each month, 18:00-19:30, from 2026-10-13 to 2027-12-31: it crosses
    the autumn change (Nov 1 2026), a year's end and the spring change (Mar 14 2027)."""
    fields = {
        "starts_on": date(2026, 10, 13),
        "start_time": time(18, 0),
        "end_time": time(19, 30),
        "repeat": Repeat.MONTHLY_WEEKDAY,
        "week_of_month": 2,
        "repeat_until": date(2027, 12, 31),
        "place": Place.IN_PERSON,
        "venue": "Council library",
        "address": "1 Main St",
        **fields,
    }
    return services.save_meeting(meeting=Meeting(meetup=meetup, **fields))


def feed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def expanded(cal, start=datetime(2026, 1, 1), end=datetime(2028, 1, 1)):
    return sorted(recurring_ical_events.of(cal).between(start, end), key=lambda e: e["DTSTART"].dt)


def test_the_feed_expands_to_the_dates_the_page_shows_across_dst_and_new_year(client):
    group = factories.meetup()
    meeting = monthly(group)
    cal = feed(client, f"/meetups/{group.slug}/calendar.ics")
    events = expanded(cal)
    ours = occurrences(meeting)
    assert len(events) == len(ours) == 15
    assert [e["DTSTART"].dt for e in events] == [o.start for o in ours]
    # Wall-clock 18:00 on both sides of each change: -04:00 in October, -05:00 in winter,
    # -04:00 again after March 14.
    local = [e["DTSTART"].dt.astimezone(timezone.get_current_timezone()) for e in events]
    assert {d.time() for d in local} == {time(18, 0)}
    offsets = {d.date(): d.utcoffset() for d in local}
    assert offsets[date(2026, 10, 13)] == timedelta(hours=-4)
    assert offsets[date(2026, 12, 8)] == timedelta(hours=-5)
    assert offsets[date(2027, 1, 12)] == timedelta(hours=-5)
    assert offsets[date(2027, 3, 9)] == timedelta(hours=-5)
    assert offsets[date(2027, 4, 13)] == timedelta(hours=-4)
    # Every one is a second Tuesday.
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in local)
    # The program's time zone, described.
    assert [c["TZID"] for c in cal.walk("VTIMEZONE")] == ["America/New_York"]


def test_a_skipped_a_moved_and_a_cancelled_date(client):
    group = factories.meetup()
    meeting = monthly(group)
    services.change_date(
        meeting=meeting, original_date=date(2026, 12, 8), kind=MeetingChange.Kind.SKIPPED
    )
    services.change_date(
        meeting=meeting,
        original_date=date(2027, 1, 12),
        kind=MeetingChange.Kind.MOVED,
        new_date=date(2027, 1, 14),
        start_time=time(19, 0),
        end_time=time(20, 0),
        venue="Branch library",
    )
    services.change_date(
        meeting=meeting,
        original_date=date(2027, 3, 9),
        kind=MeetingChange.Kind.CANCELLED,
        note="Snow day",
    )
    meeting.refresh_from_db()
    cal = feed(client, f"/meetups/{group.slug}/calendar.ics")
    events = expanded(cal)
    starts = [e["DTSTART"].dt.astimezone(timezone.get_current_timezone()) for e in events]
    days = [s.date() for s in starts]
    assert date(2026, 12, 8) not in days  # skipped: an EXDATE
    moved = events[days.index(date(2027, 1, 14))]
    assert starts[days.index(date(2027, 1, 14))].time() == time(19, 0)
    assert "Branch library" in str(moved["LOCATION"])
    cancelled = events[days.index(date(2027, 3, 9))]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert [o.start for o in occurrences(meeting)] == [e["DTSTART"].dt for e in events]
    # One UID for the series, its changed dates by RECURRENCE-ID; SEQUENCE moved on.
    vevents = cal.walk("VEVENT")
    assert {str(e["UID"]) for e in vevents} == {meeting.uid}
    assert len([e for e in vevents if "RECURRENCE-ID" in e]) == 2
    assert all(int(e["SEQUENCE"]) == 3 for e in vevents)
    # The page says so too.
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Cancelled:" in page or meeting.starts_on < timezone.localdate()


def test_a_lapsed_group_leaves_its_feed_and_the_program_feed_the_same_night(client, settings):
    set_lifecycle_days(settings)
    today = timezone.localdate()
    group = factories.meetup(
        check_in_due_on=today - timedelta(days=61),
        lifecycle=Lifecycle.CHECK_IN_DUE,
        state_since=noon(today - timedelta(days=91)),
    )
    Meeting.objects.create(
        meetup=group,
        starts_on=today + timedelta(days=3),
        start_time=time(18),
        end_time=time(19),
        place=Place.IN_PERSON,
        venue="Hall",
    )
    other = factories.meetup()
    monthly(other, starts_on=today + timedelta(days=7), repeat=Repeat.NEVER, repeat_until=None)
    assert len(feed(client, "/meetups/calendar.ics").walk("VEVENT")) == 2
    assert len(feed(client, f"/meetups/{group.slug}/calendar.ics").walk("VEVENT")) == 1

    nightly.run_pass(now=noon(today))
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.LAPSED
    program = feed(client, "/meetups/calendar.ics")
    # Each meeting's title names its group and date (meetups.meeting_words).
    assert [str(e["SUMMARY"]) for e in program.walk("VEVENT")] == [
        f"{other.name}, {today + timedelta(days=7):%A %-d %B %Y}"
    ]
    assert feed(client, f"/meetups/{group.slug}/calendar.ics").walk("VEVENT") == []
    assert "Hall" not in client.get(group.get_absolute_url()).content.decode()


def test_conditional_requests_are_answered_304_until_a_meeting_changes(client):
    group = factories.meetup()
    meeting = monthly(group)
    path = f"/meetups/{group.slug}/calendar.ics"
    first = client.get(path)
    etag = first["ETag"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/meetups/calendar.ics", HTTP_IF_NONE_MATCH=etag).status_code == 200
    services.save_meeting(meeting=meeting)
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert "SEQUENCE:1" in again.content.decode()


def test_add_to_calendar_gives_one_date(client):
    group = factories.meetup()
    day = timezone.localdate() + timedelta(days=10)
    meeting = monthly(
        group, starts_on=day, repeat=Repeat.NEVER, repeat_until=None, note="Bring a zine"
    )
    page = client.get(group.get_absolute_url()).content.decode()
    link = f"/meetups/{group.slug}/meetings/{meeting.pk}/{day:%Y%m%d}.ics"
    assert link in page
    assert f"webcal://testserver/meetups/{group.slug}/calendar.ics" in page or "webcal://" in page
    cal = icalendar.Calendar.from_ical(client.get(link).content)
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].dt.date() == day
    assert "Bring a zine" in str(event["DESCRIPTION"])
    assert (
        client.get(f"/meetups/{group.slug}/meetings/{meeting.pk}/19990101.ics").status_code == 404
    )


def test_an_online_meeting_shows_its_link_only_when_the_organizers_choose(client):
    group = factories.meetup()
    day = timezone.localdate() + timedelta(days=5)
    meeting = monthly(
        group,
        starts_on=day,
        repeat=Repeat.NEVER,
        repeat_until=None,
        place=Place.ONLINE,
        venue="",
        address="",
        join_url="https://meet.example.org/zines",
    )
    assert "meet.example.org" in client.get(group.get_absolute_url()).content.decode()
    assert "meet.example.org" in client.get(f"/meetups/{group.slug}/calendar.ics").content.decode()
    meeting.join_url_public = False
    services.save_meeting(meeting=meeting)
    assert "meet.example.org" not in client.get(group.get_absolute_url()).content.decode()
    assert "meet.example.org" not in client.get("/meetups/calendar.ics").content.decode()
