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
from meetups.schedule import occurrences
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


MORE_HOSTILE = [
    ({"interval": "0"}, "1 to 12"),
    ({"interval": "-3"}, "1 to 12"),
    ({"interval": "13"}, "1 to 12"),
    ({"interval": "2; DROP TABLE"}, "1 to 12"),
    ({"title": "<img src=x onerror=alert(1)>"}, "Write plain words"),
    ({"address": "{{ settings.SECRET_KEY }}"}, "Write plain words"),
    ({"place": Place.ONLINE, "join_url": "data:text/html,<script>alert(1)</script>"}, "address"),
    ({"place": Place.ONLINE, "join_url": "mailto:x@example.org"}, "address"),
    ({"starts_on": "99999-01-01"}, "Enter a valid date"),
    ({"end_time": "25:00"}, "Enter a valid time"),
    ({"week_of_month": "5"}, "Select a valid choice"),
    ({"repeat": "yearly"}, "Select a valid choice"),
    ({"place": "moon"}, "Select a valid choice"),
    ({"repeat_until": "2053-06-01"}, "at most two years"),  # a 10,000-day range
]


@pytest.mark.parametrize(("overrides", "message"), MORE_HOSTILE)
def test_every_meeting_field_refuses_hostile_input_clearly(client, overrides, message):
    group = _approved_group()
    response = client.post(
        _page(group) + "meetings/new/", _form(_next_second_tuesday(), **overrides)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body, body[body.find("error-summary") :][:1500]
    assert "<img src=x" not in body and "<script>alert" not in body
    assert not Meeting.objects.filter(meetup=group, confirmed=True).exists()


def _published(client, group) -> Meeting:
    client.post(_page(group) + "meetings/new/", _form(_next_second_tuesday()))
    return Meeting.objects.get(meetup=group, confirmed=True)


DATE_HOSTILE = [
    ({"kind": "moved", "new_date": "+10000"}, "at most four weeks"),
    ({"kind": "moved", "new_date": "-40"}, "at most four weeks"),
    ({"kind": "moved", "venue": "<b>x</b>"}, "Write plain words"),
    ({"kind": "cancelled", "note": "javascript:alert(1)"}, "Write plain words"),
    ({"kind": "vanished"}, "Select a valid choice"),
    ({"kind": "moved", "start_time": "20:00", "end_time": "19:00"}, "must end after it starts"),
]


@pytest.mark.parametrize(("overrides", "message"), DATE_HOSTILE)
def test_a_date_change_has_bounds_and_refuses_hostile_input(client, overrides, message):
    group = _approved_group()
    meeting = _published(client, group)
    data = {"original_date": meeting.starts_on.isoformat(), **overrides}
    if data.get("new_date", "")[:1] in "+-" and data.get("new_date"):
        days = int(data["new_date"])
        data["new_date"] = (meeting.starts_on + timezone.timedelta(days=days)).isoformat()
    response = client.post(_page(group) + f"meetings/{meeting.pk}/dates/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body, body[body.find("error-summary") :][:1500]
    assert not meeting.changes.exists()
    sequence = meeting.sequence
    meeting.refresh_from_db()
    assert meeting.sequence == sequence


def test_a_date_moved_within_four_weeks_is_kept(client):
    group = _approved_group()
    meeting = _published(client, group)
    new = meeting.starts_on + timezone.timedelta(days=28)
    response = client.post(
        _page(group) + f"meetings/{meeting.pk}/dates/",
        {"original_date": meeting.starts_on.isoformat(), "kind": "moved", "new_date": new},
    )
    assert response.status_code == 302
    assert meeting.changes.get().new_date == new


def test_organizers_reinstate_a_cancelled_meeting(client):
    group = _approved_group()
    page = _page(group)
    meeting = _published(client, group)
    client.post(page + f"meetings/{meeting.pk}/cancel/", {"note": "Venue flooded"})
    meeting.refresh_from_db()
    cancelled_sequence = meeting.sequence
    assert "Venue flooded" in client.get(group.get_absolute_url()).content.decode()
    assert "Reinstate the meeting" in client.get(page + "meetings/").content.decode()

    response = client.post(page + f"meetings/{meeting.pk}/reinstate/")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert not meeting.cancelled and meeting.sequence == cancelled_sequence + 1
    public = client.get(group.get_absolute_url()).content.decode()
    assert "Venue flooded" not in public and "Cancelled:" not in public
    assert "Bring a zine to swap" in public  # the meeting's own note is back
    cal = icalendar.Calendar.from_ical(client.get(f"/meetups/{group.slug}/calendar.ics").content)
    (event,) = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == meeting.sequence
    assert "Venue flooded" not in str(event.get("DESCRIPTION", ""))


def test_a_hybrid_meeting_has_a_venue_and_a_joining_link_and_both_finds_it(client):
    group = _approved_group()
    page = _page(group)
    day = _next_second_tuesday()
    refused = client.post(page + "meetings/new/", _form(day, place="hybrid", join_url=""))
    assert refused.status_code == 400
    assert "needs its joining link" in refused.content.decode()
    response = client.post(
        page + "meetings/new/",
        _form(day, place="hybrid", join_url="https://meet.example.org/zines"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    public = client.get(group.get_absolute_url()).content.decode()
    assert "Council library, room 2" in public and "https://meet.example.org/zines" in public
    assert "MixedEventAttendanceMode" in public

    def names(query):
        listing = client.get("/meetups/?" + query).content.decode()
        return f">{group.name}</a></h2>" in listing

    assert names("format=both") and names("format=online") and names("format=in_person")
    cal = icalendar.Calendar.from_ical(client.get(f"/meetups/{group.slug}/calendar.ics").content)
    event = cal.walk("VEVENT")[0]
    assert "Council library" in str(event["LOCATION"])
    assert "https://meet.example.org/zines" in str(event["DESCRIPTION"])


def test_a_rule_change_that_drops_changed_dates_asks_first_and_names_them(client):
    group = _approved_group()
    page = _page(group)
    day = _next_second_tuesday()
    meeting = _published(client, group)
    dates = [o.original_date for o in occurrences(meeting)]
    client.post(
        page + f"meetings/{meeting.pk}/dates/",
        {"original_date": dates[1].isoformat(), "kind": "skipped"},
    )
    client.post(
        page + f"meetings/{meeting.pk}/dates/",
        {
            "original_date": dates[2].isoformat(),
            "kind": "moved",
            "new_date": (dates[2] + timezone.timedelta(days=1)).isoformat(),
        },
    )
    meeting.refresh_from_db()
    sequence = meeting.sequence
    # Weekly on Wednesdays from the day after: none of the second Tuesdays is kept.
    new_rule = _form(day + timezone.timedelta(days=1), repeat=Repeat.WEEKLY, week_of_month="")
    asked = client.post(page + f"meetings/{meeting.pk}/", new_rule)
    body = asked.content.decode()
    assert "drops dates you changed" in body
    assert f"{dates[1]:%A %-d %B %Y}: skipped" in body
    assert f"{dates[2]:%A %-d %B %Y}: moved" in body
    meeting.refresh_from_db()
    assert meeting.repeat == Repeat.MONTHLY_WEEKDAY and meeting.sequence == sequence
    assert meeting.changes.count() == 2

    confirmed = client.post(page + f"meetings/{meeting.pk}/", {**new_rule, "confirm_drop": "1"})
    assert confirmed.status_code == 302
    meeting.refresh_from_db()
    assert meeting.repeat == Repeat.WEEKLY and not meeting.changes.exists()


def test_a_rule_change_that_keeps_the_changed_dates_needs_no_confirmation(client):
    group = _approved_group()
    page = _page(group)
    meeting = _published(client, group)
    client.post(
        page + f"meetings/{meeting.pk}/dates/",
        {"original_date": meeting.starts_on.isoformat(), "kind": "skipped"},
    )
    response = client.post(
        page + f"meetings/{meeting.pk}/", _form(meeting.starts_on, start_time="18:30")
    )
    assert response.status_code == 302
    assert meeting.changes.count() == 1


def test_renaming_or_removing_a_used_topic_asks_first_and_says_how_many_groups(client):
    from meetups.models import Topic

    client.force_login(factories.staff_user(role="manager"))
    topic = Topic.objects.create(name="Crafts", slug="crafts")
    unused = Topic.objects.create(name="Chess", slug="chess")
    for _ in range(2):
        factories.meetup().topics.add(topic)
    assert "2 groups" in client.get("/reviews/topics/").content.decode()

    asked = client.post(f"/reviews/topics/{topic.pk}/", {"action": "rename", "name": "Making"})
    assert asked.status_code == 200
    assert "changes it on 2 groups" in asked.content.decode()
    assert Topic.objects.get(pk=topic.pk).name == "Crafts"
    done = client.post(
        f"/reviews/topics/{topic.pk}/", {"action": "rename", "name": "Making", "confirm": "1"}
    )
    assert done.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.slug, topic.meetups.count()) == ("Making", "making", 2)

    asked = client.post(f"/reviews/topics/{topic.pk}/", {"action": "remove"})
    assert "takes it off 2 groups" in asked.content.decode()
    assert Topic.objects.filter(pk=topic.pk).exists()
    client.post(f"/reviews/topics/{topic.pk}/", {"action": "remove", "confirm": "1"})
    assert not Topic.objects.filter(pk=topic.pk).exists()
    # A topic no group uses goes at once; a taken or empty name is refused clearly.
    bad = client.post(f"/reviews/topics/{unused.pk}/", {"action": "rename", "name": "<b>"})
    assert bad.status_code == 400 and "Write plain words" in bad.content.decode()
    client.post(f"/reviews/topics/{unused.pk}/", {"action": "remove"})
    assert not Topic.objects.exists()
