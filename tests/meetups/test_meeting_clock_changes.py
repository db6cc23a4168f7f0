"""Meeting times on the nights the clocks change (America/New_York): a time the spring
change skips does not exist on that date and is refused with a clear message; an end not
after the start once the zone is applied is refused; the autumn's repeated hour gives a
sane meeting (issue 22, third run)."""

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from intake.models import State
from meetups import access
from meetups import meetings as services
from meetups.models import Meeting, MeetingChange, Meetup, Place, Repeat
from meetups.schedule import occurrences
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _new_york(settings):
    settings.TIME_ZONE = "America/New_York"


def _nth_sunday(year: int, month: int, nth: int) -> date:
    day = date(year, month, 1)
    day += timedelta(days=(6 - day.weekday()) % 7)
    return day + timedelta(weeks=nth - 1)


def _next(month: int, nth: int) -> date:
    today = timezone.localdate()
    day = _nth_sunday(today.year, month, nth)
    return day if day > today else _nth_sunday(today.year + 1, month, nth)


def _approved_group():
    proposal, _ = factories.proposal_in_state(State.APPROVED)
    return Meetup.objects.get(proposal=proposal)


def _form(day: date, start: str, end: str, **overrides) -> dict:
    data = {
        "title": "",
        "starts_on": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "repeat": Repeat.NEVER,
        "interval": "1",
        "week_of_month": "",
        "repeat_until": "",
        "place": Place.IN_PERSON,
        "venue": "Council library",
        "address": "",
        "join_url": "",
        "join_url_public": "on",
        "note": "",
    }
    data.update(overrides)
    return data


def _page(group) -> str:
    return f"/groups/{access.issue_group_link(contact=group.contacts.first())}/meetings/new/"


@pytest.mark.parametrize("start,end", [("02:30", "03:00"), ("01:30", "02:15")])
def test_a_time_in_the_spring_gap_is_refused(client, start, end):
    group = _approved_group()
    response = client.post(_page(group), _form(_next(3, 2), start, end))
    assert response.status_code == 400
    assert "does not exist" in response.content.decode()
    assert not Meeting.objects.filter(meetup=group, confirmed=True).exists()


def test_a_weekly_series_through_the_gap_is_refused_naming_the_date(client):
    group = _approved_group()
    gap_day = _next(3, 2)
    first = gap_day - timedelta(weeks=2)
    form = _form(
        first,
        "02:15",
        "03:30",
        repeat=Repeat.WEEKLY,
        repeat_until=(gap_day + timedelta(weeks=2)).isoformat(),
    )
    response = client.post(_page(group), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "does not exist" in body and str(gap_day.year) in body


def test_a_moved_date_into_the_gap_is_refused():
    group = _approved_group()
    gap_day = _next(3, 2)
    meeting = Meeting.objects.create(
        meetup=group,
        starts_on=gap_day - timedelta(days=7),
        start_time=time(18),
        end_time=time(19),
        place=Place.IN_PERSON,
        venue="x",
        confirmed=True,
    )
    with pytest.raises(services.MeetingError, match="does not exist"):
        services.change_date(
            meeting=meeting,
            original_date=meeting.starts_on,
            kind=MeetingChange.Kind.MOVED,
            new_date=gap_day,
            start_time=time(2, 30),
            end_time=time(3, 30),
        )
    assert not MeetingChange.objects.exists()


def test_the_autumn_repeated_hour_gives_a_sane_meeting(client):
    group = _approved_group()
    fold_day = _next(11, 1)
    response = client.post(_page(group), _form(fold_day, "01:15", "01:45"))
    assert response.status_code == 302, response.content.decode()[:2000]
    body = client.get(f"/meetups/{group.slug}/calendar.ics").content.decode()
    assert f"DTSTART;TZID=America/New_York:{fold_day:%Y%m%d}T011500" in body
    assert f"DTEND;TZID=America/New_York:{fold_day:%Y%m%d}T014500" in body
    # Across the change: starts in summer time, ends in winter time, still after it.
    response = client.post(_page(group), _form(fold_day, "01:30", "02:30"))
    assert response.status_code == 302
    (occ,) = [
        o
        for m in Meeting.objects.filter(meetup=group, start_time=time(1, 30))
        for o in occurrences(m)
    ]
    assert occ.end > occ.start
    assert occ.start.tzinfo == ZoneInfo("America/New_York")
