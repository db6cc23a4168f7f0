"""A meeting's dates stay in a sane window (issue 22, third run): the service refuses a first
date, a last date or a moved date far in the past or future, and a meeting stored with such
a date before the rule existed never takes a page or a feed down: it is left out (and
logged), the other meetings still show."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from intake.models import State
from meetups import access
from meetups import meetings as services
from meetups.models import Meeting, MeetingChange, Meetup, Place, Repeat
from tests import factories

pytestmark = pytest.mark.django_db


def _approved_group():
    proposal, _ = factories.proposal_in_state(State.APPROVED)
    return Meetup.objects.get(proposal=proposal)


def _meeting(group, day, **fields) -> Meeting:
    fields.setdefault("repeat", Repeat.NEVER)
    fields.setdefault("venue", "Council library")
    return Meeting.objects.create(
        meetup=group,
        starts_on=day,
        start_time=time(18, 0),
        end_time=time(19, 30),
        place=Place.IN_PERSON,
        confirmed=True,
        **fields,
    )


BAD_DATES = [date(9999, 12, 31), date(1, 1, 1), date(1900, 1, 1)]


@pytest.mark.parametrize("bad", BAD_DATES, ids=str)
def test_a_stored_meeting_out_of_range_takes_no_page_down(client, bad, caplog):
    group = _approved_group()
    good_day = timezone.localdate() + timedelta(days=3)
    _meeting(group, good_day, venue="Good room")
    _meeting(group, bad, venue="Bad room")
    _meeting(group, bad, repeat=Repeat.WEEKLY, repeat_until=bad, venue="Bad series")
    contact = group.contacts.first()
    organizers = f"/groups/{access.issue_group_link(contact=contact)}/meetings/"
    pages = [
        "/",
        "/meetups/",
        "/meetups.json",
        "/meetups/calendar.ics",
        f"/meetups/{group.slug}/calendar.ics",
        group.get_absolute_url(),
        organizers,
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"Good room" in response.content or path == "/meetups/", path
        if path.endswith(".ics"):
            body = response.content.decode()
            assert "Bad room" not in body and "Bad series" not in body
            # The time zone covers the meetings shown, not a century of DST changes.
            assert body.count("BEGIN:DAYLIGHT") < 12, path
    assert "out of range" in caplog.text


def _post_form(day, **overrides):
    data = {
        "title": "",
        "starts_on": day.isoformat(),
        "start_time": "18:00",
        "end_time": "19:30",
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


def test_the_service_refuses_dates_outside_the_window():
    group = _approved_group()
    today = timezone.localdate()
    for day in (date(9999, 12, 31), date(1900, 1, 1), today + timedelta(days=800)):
        meeting = Meeting(
            meetup=group,
            starts_on=day,
            start_time=time(18),
            end_time=time(19),
            place=Place.IN_PERSON,
            venue="x",
        )
        with pytest.raises(services.MeetingError):
            services.save_meeting(meeting=meeting)
    # A series ending too far ahead.
    series = Meeting(
        meetup=group,
        starts_on=today + timedelta(days=400),
        start_time=time(18),
        end_time=time(19),
        repeat=Repeat.WEEKLY,
        repeat_until=today + timedelta(days=800),
        place=Place.IN_PERSON,
        venue="x",
    )
    with pytest.raises(services.MeetingError):
        services.save_meeting(meeting=series)
    # A new single meeting before today.
    past = Meeting(
        meetup=group,
        starts_on=today - timedelta(days=1),
        start_time=time(18),
        end_time=time(19),
        place=Place.IN_PERSON,
        venue="x",
    )
    with pytest.raises(services.MeetingError):
        services.save_meeting(meeting=past)
    assert not Meeting.objects.filter(meetup=group, confirmed=True).exists()


def test_an_existing_series_keeps_its_start_but_not_older_than_a_year():
    group = _approved_group()
    today = timezone.localdate()
    start = today - timedelta(days=60)
    series = _meeting(group, start, repeat=Repeat.WEEKLY, repeat_until=today + timedelta(days=60))
    series.venue = "Moved room"
    services.save_meeting(meeting=series)  # continues: fine
    series.starts_on = today - timedelta(days=400)
    series.starts_on -= timedelta(days=(series.starts_on.weekday() - start.weekday()) % 7)
    with pytest.raises(services.MeetingError):
        services.save_meeting(meeting=series)


def test_a_moved_date_far_away_is_refused_whatever_the_kind():
    group = _approved_group()
    day = timezone.localdate() + timedelta(days=7)
    meeting = _meeting(group, day)
    for kind in (MeetingChange.Kind.MOVED, MeetingChange.Kind.SKIPPED):
        with pytest.raises(services.MeetingError):
            services.change_date(
                meeting=meeting, original_date=day, kind=kind, new_date=date(9999, 12, 31)
            )
    assert not MeetingChange.objects.exists()


def test_the_form_says_so_for_a_date_years_ahead(client):
    group = _approved_group()
    page = f"/groups/{access.issue_group_link(contact=group.contacts.first())}/"
    response = client.post(page + "meetings/new/", _post_form(date(9999, 12, 31)))
    assert response.status_code == 400
    assert "two years" in response.content.decode()
    assert not Meeting.objects.filter(meetup=group, confirmed=True).exists()
