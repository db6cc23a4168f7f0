"""Issue 25 seen with fresh eyes: a private joining link is only promised while members can
ask for it; a moved date has its own address; changed dates can be undone; "Add to calendar"
only for dates that take place; one UID and one title style per series; past dates refused;
rule errors name the rule chosen."""

from datetime import date, timedelta

import icalendar
import pytest
from django.utils import timezone

from meetups import meetings as services
from meetups.models import Meeting, MeetingChange, Place, Repeat
from meetups.schedule import occurrences
from tests import factories
from tests.meetups.test_calendar_feeds import monthly
from tests.meetups.test_meetings import _approved_group, _form, _page

pytestmark = pytest.mark.django_db


def _events(content: bytes):
    return icalendar.Calendar.from_ical(content).walk("VEVENT")


def _next_weekday(weekday: int, *, after: date | None = None) -> date:
    day = (after or timezone.localdate()) + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_messages_stay_on_while_a_meeting_keeps_its_joining_link_private(client):
    group = _approved_group()
    page = _page(group)
    day = timezone.localdate() + timedelta(days=10)
    private = _form(
        day,
        repeat=Repeat.NEVER,
        place=Place.HYBRID,
        join_url="https://meet.example.org/zines",
        join_url_public="",
        title="Zine swap",
    )
    assert client.post(page + "meetings/new/", private).status_code == 302
    refused = client.post(page + "settings/", {"accepts_messages": ""}, follow=True)
    body = refused.content.decode()
    assert "Zine swap" in body and "joining link" in body
    group.refresh_from_db()
    assert group.accepts_messages
    public = client.get(group.get_absolute_url()).content.decode()
    assert "on request" in public
    assert client.get(f"/meetups/{group.slug}/write/").status_code == 200
    # The calendar says there is an online part, and how to get its link.
    (event,) = _events(client.get(f"/meetups/{group.slug}/calendar.ics").content)
    assert "Council library" in str(event["LOCATION"])
    assert "online" in str(event["DESCRIPTION"]).lower()
    assert "on request" in str(event["DESCRIPTION"])
    # With the link public, messages can go off, and a private link cannot then be chosen.
    meeting = Meeting.objects.get(meetup=group, title="Zine swap")
    edit = page + f"meetings/{meeting.pk}/"
    assert client.post(edit, {**private, "join_url_public": "on"}).status_code == 302
    client.post(page + "settings/", {"accepts_messages": ""})
    group.refresh_from_db()
    assert not group.accepts_messages
    again = client.post(edit, private)
    assert again.status_code == 400
    assert "write to you" in again.content.decode()
    meeting.refresh_from_db()
    assert meeting.join_url_public
    # A cancelled meeting with a private link comes back only once members can ask again.
    Meeting.objects.filter(pk=meeting.pk).update(cancelled=True, join_url_public=False)
    client.post(page + f"meetings/{meeting.pk}/reinstate/")
    meeting.refresh_from_db()
    assert meeting.cancelled


def test_a_date_moved_to_a_new_venue_has_the_new_address_or_none(client):
    group = _approved_group()
    page = _page(group)
    meeting = monthly(group, starts_on=date(2027, 3, 9), repeat_until=date(2027, 12, 31))
    url = page + f"meetings/{meeting.pk}/dates/"
    form = client.get(url).content.decode()
    assert "New address" in form
    response = client.post(
        url,
        {
            "original_date": "2027-04-13",
            "kind": MeetingChange.Kind.MOVED,
            "venue": "Town hall",
            "address": "5 Elm St",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(
        url,
        {"original_date": "2027-05-11", "kind": MeetingChange.Kind.MOVED, "venue": "The park"},
    )
    by_day = {o.original_date: o for o in occurrences(meeting)}
    assert (by_day[date(2027, 4, 13)].venue, by_day[date(2027, 4, 13)].address) == (
        "Town hall",
        "5 Elm St",
    )
    assert (by_day[date(2027, 5, 11)].venue, by_day[date(2027, 5, 11)].address) == ("The park", "")
    feed = client.get(f"/meetups/{group.slug}/calendar.ics").content.decode().replace("\r\n ", "")
    assert "LOCATION:The park\r\n" in feed
    assert "Town hall\\, 5 Elm St" in feed


def test_a_changed_date_is_listed_and_can_be_undone(client):
    group = _approved_group()
    page = _page(group)
    meeting = monthly(group, starts_on=date(2027, 3, 9), repeat_until=date(2027, 12, 31))
    url = page + f"meetings/{meeting.pk}/dates/"
    client.post(url, {"original_date": "2027-04-13", "kind": MeetingChange.Kind.SKIPPED})
    client.post(url, {"original_date": "2027-05-11", "kind": MeetingChange.Kind.CANCELLED})
    # Saving the same date as another kind says it replaces the earlier change.
    again = client.post(url, {"original_date": "2027-04-13", "kind": MeetingChange.Kind.CANCELLED})
    assert again.status_code == 400
    assert "already skipped" in again.content.decode()
    assert MeetingChange.objects.get(original_date=date(2027, 4, 13)).kind == "skipped"
    replaced = client.post(
        url,
        {"original_date": "2027-04-13", "kind": MeetingChange.Kind.CANCELLED, "replace": "on"},
    )
    assert replaced.status_code == 302
    assert MeetingChange.objects.get(original_date=date(2027, 4, 13)).kind == "cancelled"
    listing = client.get(page + "meetings/").content.decode()
    assert "Tuesday 13 April 2027" in listing and "Reinstate this date" in listing
    meeting.refresh_from_db()
    sequence = meeting.sequence
    change = MeetingChange.objects.get(original_date=date(2027, 5, 11))
    undone = client.post(page + f"meetings/{meeting.pk}/dates/{change.pk}/undo/")
    assert undone.status_code == 302
    assert not MeetingChange.objects.filter(pk=change.pk).exists()
    meeting.refresh_from_db()
    assert meeting.sequence == sequence + 1
    (may,) = [o for o in occurrences(meeting) if o.original_date == date(2027, 5, 11)]
    assert not may.cancelled


def test_add_to_calendar_is_not_offered_for_a_cancelled_date(client):
    group = factories.meetup()
    first = timezone.localdate() + timedelta(days=3)
    meeting = monthly(group, starts_on=first, repeat=Repeat.WEEKLY, week_of_month=None)
    cancelled = first + timedelta(days=7)
    services.change_date(meeting=meeting, original_date=cancelled, kind="cancelled")
    page = client.get(group.get_absolute_url()).content.decode()
    assert f"/{first:%Y%m%d}.ics" in page
    assert f"/{cancelled:%Y%m%d}.ics" not in page


def test_one_date_of_a_series_has_the_series_uid_and_title(client):
    group = factories.meetup(name="Code4LibNYC")
    meeting = monthly(group, starts_on=date(2027, 2, 9), repeat_until=date(2027, 12, 31))
    services.change_date(
        meeting=meeting,
        original_date=date(2027, 3, 9),
        kind="moved",
        new_date=date(2027, 3, 16),
    )
    one = client.get(f"/meetups/{group.slug}/meetings/{meeting.pk}/20270209.ics")
    (event,) = _events(one.content)
    assert str(event["UID"]) == meeting.uid
    assert event["RECURRENCE-ID"].dt == occurrences(meeting)[0].start
    feed = _events(client.get(f"/meetups/{group.slug}/calendar.ics").content)
    titles = {str(e["SUMMARY"]) for e in feed}
    assert titles == {"Code4LibNYC: on the second Tuesday of each month"}
    assert str(event["SUMMARY"]) in titles


def test_the_program_feed_names_the_group_of_a_titled_meeting(client):
    group = factories.meetup(name="Code4LibNYC")
    monthly(group, title="Winter lightning talks")
    program = _events(client.get("/meetups/calendar.ics").content)
    assert {str(e["SUMMARY"]) for e in program} == {"Code4LibNYC: Winter lightning talks"}
    own = _events(client.get(f"/meetups/{group.slug}/calendar.ics").content)
    assert {str(e["SUMMARY"]) for e in own} == {"Winter lightning talks"}


def test_a_meeting_in_the_past_is_refused(client):
    group = _approved_group()
    page = _page(group)
    past = timezone.localdate() - timedelta(days=3)
    refused = client.post(page + "meetings/new/", _form(past, repeat=Repeat.NEVER))
    assert refused.status_code == 400
    assert "in the past" in refused.content.decode()
    # A weekly series that started last week and continues is fine.
    weekly = _form(past, repeat=Repeat.WEEKLY, week_of_month="")
    assert client.post(page + "meetings/new/", weekly).status_code == 302
    ended = _form(
        past - timedelta(days=60), repeat=Repeat.WEEKLY, week_of_month="", repeat_until=past
    )
    assert client.post(page + "meetings/new/", ended).status_code == 400
    assert Meeting.objects.filter(meetup=group, confirmed=True).count() == 1


def test_a_first_date_off_the_rule_names_the_rule_chosen_and_a_date_that_fits(client):
    group = _approved_group()
    page = _page(group)
    thursday = _next_weekday(3, after=timezone.localdate() + timedelta(days=40))
    while thursday.day > 21:  # a Thursday early in its month: never its last one
        thursday += timedelta(days=7)
    response = client.post(
        page + "meetings/new/", _form(thursday, week_of_month="-1", repeat=Repeat.MONTHLY_WEEKDAY)
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "for “second Tuesday” choose" not in body
    assert "last Thursday" in body
    last = thursday
    while (last + timedelta(days=7)).month == last.month:
        last += timedelta(days=7)
    assert f"{last:%A %-d %B %Y}" in body


def test_a_filter_value_that_names_nothing_is_said_not_silently_dropped(client):
    from meetups.models import Topic

    Topic.objects.create(name="Code", slug="code")
    factories.meetup(name="Zine makers")
    page = client.get("/meetups/?topic=software").content.decode()
    assert "no topic called “software”" in page
    assert "Zine makers" in page
    page = client.get("/meetups/?format=hybrid").content.decode()
    assert "“hybrid” is not a way of meeting here" in page
    for query in ("topic=software", "format=hybrid"):
        response = client.get(f"/meetups.json?{query}")
        assert response.status_code == 400
        assert "software" in response.json()["error"] or "hybrid" in response.json()["error"]
    assert client.get("/meetups.json?format=online").status_code == 200


def test_the_help_beside_date_and_time_pickers_names_the_time_zone_not_a_format(client):
    group = _approved_group()
    page = _page(group)
    meeting = monthly(group, starts_on=date(2027, 3, 9), repeat_until=date(2027, 12, 31))
    for url in (page + "meetings/new/", page + f"meetings/{meeting.pk}/dates/"):
        body = client.get(url).content.decode()
        assert "Times are New York time (America/New_York)." in body
        assert "like 2027-03-09" not in body and "like 18:00" not in body


def _summary(body: str) -> str:
    start = body.find('id="error-summary"')
    return body[start : body.find("</div>", start)]


def test_a_bad_joining_link_is_refused_once_with_its_reason_and_purpose(client):
    group = _approved_group()
    page = _page(group)
    day = timezone.localdate() + timedelta(days=10)
    online = {"place": Place.ONLINE, "venue": "", "address": "", "repeat": Repeat.NEVER}
    script = client.post(
        page + "meetings/new/", _form(day, join_url="javascript:alert(1)", **online)
    )
    summary = _summary(script.content.decode())
    assert summary.count("<li>") == 1
    assert "https://" in summary and "javascript:" in summary
    local = client.post(page + "meetings/new/", _form(day, join_url="http://127.0.0.1", **online))
    summary = _summary(local.content.decode())
    assert "joining link" in summary and "group's public web address" not in summary
    markup = client.post(page + "meetings/new/", _form(day, note="<b>hi</b>"))
    summary = _summary(markup.content.decode())
    assert "Nothing you typed has been lost" in summary
    assert "Nothing was saved" not in summary


def test_the_lapse_email_says_the_meetings_are_gone_until_a_check_in(client, settings):
    from meetups import nightly
    from meetups.models import Lifecycle
    from notifications.models import Kind, Notification
    from tests.meetups.helpers import noon, set_lifecycle_days

    set_lifecycle_days(settings)
    today = timezone.localdate()
    group = _approved_group()
    type(group).objects.filter(pk=group.pk).update(
        check_in_due_on=today - timedelta(days=61),
        lifecycle=Lifecycle.CHECK_IN_DUE,
        state_since=noon(today - timedelta(days=91)),
    )
    nightly.run_pass(now=noon(today))
    emails = Notification.objects.filter(kind=Kind.GROUP_LAPSED).exclude(audience="manager")
    assert emails.exists()
    for email in emails:
        for body in (email.body_text, email.body_html):
            assert "its meetings are no longer shown" in body
            assert "calendar feeds" in body and "come back as soon as you check in" in body
    assert group.pk


def test_the_empty_directory_says_which_filters_found_nothing(client):
    factories.meetup(name="Zine makers")
    soon = client.get("/meetups/?soon=1").content.decode()
    assert "No group has a meeting in the next 30 days." in soon
    assert "Try fewer words" not in soon
    both = client.get("/meetups/?q=pottery&format=online").content.decode()
    assert "the words “pottery”; meeting online" in both


def test_the_organizers_meetings_page_explains_topics_backs_out_plainly_and_hides_unused_fields(
    client,
):
    group = _approved_group()
    page = _page(group)
    listing = client.get(page + "meetings/").content.decode()
    assert "Program managers keep the list of topics" in listing
    meeting = monthly(group, starts_on=date(2027, 3, 9), repeat_until=date(2027, 12, 31))
    dates = client.get(page + f"meetings/{meeting.pk}/dates/").content.decode()
    assert "Back to the meetings" in dates
    assert ">Cancel</a>" not in dates
    form = client.get(page + "meetings/new/").content.decode()
    assert "js/meeting-form" in form
    # Saving with no topics to offer keeps the group's setting for messages.
    client.post(page + "settings/", {"accepts_messages": ""})
    group.refresh_from_db()
    assert not group.accepts_messages


def test_an_old_topic_address_leads_to_the_renamed_topic(client):
    from meetups.models import Topic

    topic = Topic.objects.create(name="Software", slug="software")
    group = factories.meetup(name="Code club")
    group.topics.add(topic)
    services.rename_topic(topic=topic, name="Programming")
    response = client.get("/meetups/?topic=software&soon=1")
    assert response.status_code == 302
    assert response["Location"] == "/meetups/?topic=programming&soon=1"
    assert "Code club" in client.get("/meetups/?topic=programming").content.decode()
    data = client.get("/meetups.json?topic=software")
    assert data.status_code == 302 and "topic=programming" in data["Location"]
    services.remove_topic(topic=Topic.objects.get(slug="programming"))
    assert client.get("/meetups/?topic=software").status_code == 200
