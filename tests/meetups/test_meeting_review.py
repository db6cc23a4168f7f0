"""Issue 25's review: meetings with distinct titles, repeat rules in words, bounds on every
field, hybrid meetings, topics renamed or removed with a confirmation, a cancelled meeting
reinstated, a rule change that drops changed dates confirmed first, the program's calendar
offered everywhere, and each organizer greeted by name."""

from datetime import date, time

import icalendar
import pytest
from django.utils import timezone

from meetups import meetings as services
from meetups.models import Meeting, Place, Repeat
from tests import factories
from tests.meetups.test_meetings import _approved_group, _form, _next_second_tuesday, _page

pytestmark = pytest.mark.django_db


def _meeting(meetup, **fields) -> Meeting:
    fields = {
        "starts_on": timezone.localdate() + timezone.timedelta(days=7),
        "start_time": time(18, 0),
        "end_time": time(19, 30),
        "place": Place.IN_PERSON,
        "venue": "Council library",
        **fields,
    }
    return services.save_meeting(meeting=Meeting(meetup=meetup, **fields))


def test_two_meetings_of_a_group_have_distinct_titles_on_pages_and_in_feeds(client):
    group = factories.meetup(name="Zine makers")
    first = timezone.localdate() + timezone.timedelta(days=3)
    second = first + timezone.timedelta(days=7)
    _meeting(group, starts_on=first)
    _meeting(group, starts_on=second, title="Binding workshop")
    home = client.get("/").content.decode()
    page = client.get(group.get_absolute_url()).content.decode()
    first_title = f"Zine makers, {first:%A %-d %B %Y}"
    for body in (home, page):
        assert first_title in body
        assert "Binding workshop" in body
    cal = icalendar.Calendar.from_ical(client.get(f"/meetups/{group.slug}/calendar.ics").content)
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == sorted([first_title, "Binding workshop"])


def test_a_repeat_rule_reads_as_the_rule_it_holds(client):
    group = _approved_group()
    page = _page(group)
    day = _next_second_tuesday()
    client.post(page + "meetings/new/", _form(day))
    wednesday = day + timezone.timedelta(days=1)
    client.post(
        page + "meetings/new/",
        _form(wednesday, repeat=Repeat.WEEKLY, interval="2", week_of_month="", title="Walks"),
    )
    body = client.get(page + "meetings/").content.decode()
    assert "On the second Tuesday of each month, 18:00–19:30" in body
    assert "Every 2 weeks on Wednesday, 18:00–19:30" in body
    assert "every few weeks" not in body and "like the second Tuesday" not in body


def test_a_seeded_draft_says_the_weekday_its_dates_fall_on(client):
    first = date(2027, 3, 3)  # a first Wednesday
    group = _approved_group(meeting_frequency="monthly", first_meeting=first)
    body = client.get(_page(group) + "meetings/").content.decode()
    assert "On the first Wednesday of each month, 18:00–19:30" in body
    assert "second Tuesday" not in body


def test_each_organizer_is_greeted_by_name_in_a_members_message(client, monkeypatch):
    from meetups import meeting_forms
    from notifications import delivery
    from notifications.models import Kind, Notification
    from tests.meetups.test_meetings import _contact_post

    group = _approved_group()
    monkeypatch.setattr(meeting_forms, "MIN_SECONDS", 0)
    assert _contact_post(client, group).status_code == 302
    contacts = list(group.contacts.values_list("email", "name"))
    assert len(contacts) >= 2
    for address, name in contacts:
        row = Notification.objects.get(kind=Kind.GROUP_MESSAGE, recipient=address.lower())
        body = delivery.build_email(row).body
        assert f"Hello {name}," in body
        assert "Hello there" not in body


def test_the_programs_calendar_can_be_subscribed_from_the_directory_and_the_home_page(client):
    group = factories.meetup()
    _meeting(group)
    for path in ("/", "/meetups/"):
        body = client.get(path).content.decode()
        assert 'href="webcal://' in body and '/meetups/calendar.ics"' in body, path
        assert "Subscribe in your calendar app" in body
    # The group's page keeps its own feed's link, from the same include.
    body = client.get(group.get_absolute_url()).content.decode()
    assert f'/meetups/{group.slug}/calendar.ics"' in body and 'href="webcal://' in body
