"""Organizers publish meetings on their private page; members see the next one on the
directory, the group's page and the home page, find groups by words, topic, format and
"soon", and write to the organizers. Hostile input in every new field is refused with a clear
message and changes nothing."""

import json
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from intake.models import State
from meetups import access, meeting_forms
from meetups import meetings as services
from meetups.models import GroupContact, Meeting, MeetingChange, Meetup, Place, Repeat, Topic
from notifications import delivery
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def _approved_group(**content):
    proposal, _ = factories.proposal_in_state(State.APPROVED, **content)
    return Meetup.objects.get(proposal=proposal)


def _page(meetup) -> str:
    return f"/groups/{access.issue_group_link(contact=meetup.contacts.first())}/"


def _form(day: date, **overrides) -> dict:
    data = {
        "title": "",
        "starts_on": day.isoformat(),
        "start_time": "18:00",
        "end_time": "19:30",
        "repeat": Repeat.MONTHLY_WEEKDAY,
        "interval": "1",
        "week_of_month": str((day.day - 1) // 7 + 1),
        "repeat_until": (day + timedelta(days=300)).isoformat(),
        "place": Place.IN_PERSON,
        "venue": "Council library, room 2",
        "address": "1 Main St",
        "join_url": "",
        "join_url_public": "on",
        "note": "Bring a zine to swap",
    }
    data.update(overrides)
    return data


def _next_second_tuesday() -> date:
    day = timezone.localdate() + timedelta(days=1)
    while not (day.weekday() == 1 and 8 <= day.day <= 14):
        day += timedelta(days=1)
    return day


def test_an_organizer_publishes_a_monthly_meeting_and_members_see_it_everywhere(client):
    group = _approved_group()
    page = _page(group)
    day = _next_second_tuesday()
    response = client.post(page + "meetings/new/", _form(day))
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(meetup=group, confirmed=True)
    assert meeting.repeat == Repeat.MONTHLY_WEEKDAY
    shown = day.strftime("%A %-d %B %Y")
    assert shown in client.get(group.get_absolute_url()).content.decode()
    assert shown in client.get("/meetups/").content.decode()
    assert shown in client.get("/").content.decode() or (day - timezone.localdate()).days > 28
    data = json.loads(client.get("/meetups.json").content)
    (entry,) = [g for g in data["groups"] if g["slug"] == group.slug]
    assert entry["next_meeting"]["start"].startswith(day.isoformat())
    assert entry["next_meeting"]["venue"] == "Council library, room 2"


HOSTILE = [
    ({"repeat_until": "2020-01-01"}, "never occurs"),
    ({"repeat_until": "2054-01-01"}, "at most two years"),
    ({"venue": "<script>alert(1)</script>"}, "Write plain words"),
    ({"note": "<b>big</b>"}, "Write plain words"),
    ({"place": Place.ONLINE, "join_url": "javascript:alert(1)"}, "web address"),
    ({"place": Place.ONLINE, "join_url": "ftp://files.example.org/x"}, "web address"),
    ({"end_time": "17:00"}, "must end after it starts"),
    ({"interval": "400"}, "1 to 12"),
    ({"week_of_month": "1"}, "does not fit the rule"),
    ({"repeat": Repeat.WEEKLY, "interval": "1", "repeat_until": "2099-01-01"}, "two years"),
]


@pytest.mark.parametrize(("overrides", "message"), HOSTILE)
def test_hostile_input_gets_a_clear_message_and_changes_nothing(client, overrides, message):
    group = _approved_group()
    before = list(Meeting.objects.values_list("pk", "sequence"))
    page = _page(group)
    response = client.post(page + "meetings/new/", _form(_next_second_tuesday(), **overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body, body[body.find("error-summary") :][:1500]
    assert "<script>alert" not in body
    assert list(Meeting.objects.values_list("pk", "sequence")) == before


def test_skipping_a_date_the_meeting_does_not_have_is_refused(client):
    group = _approved_group()
    day = _next_second_tuesday()
    client.post(_page(group) + "meetings/new/", _form(day))
    meeting = Meeting.objects.get(meetup=group, confirmed=True)
    response = client.post(
        _page(group) + f"meetings/{meeting.pk}/dates/",
        {"original_date": (day + timedelta(days=1)).isoformat(), "kind": "skipped"},
    )
    assert response.status_code == 400
    assert "does not take place on that date" in response.content.decode()
    assert not MeetingChange.objects.exists()
    # The rule is the service's, so no other caller can store such a change either.
    with pytest.raises(services.MeetingError):
        services.change_date(meeting=meeting, original_date=day + timedelta(days=1), kind="skipped")
    assert not MeetingChange.objects.exists()


def test_the_proposal_plan_seeds_a_draft_the_organizers_confirm(client):
    first = timezone.localdate() + timedelta(days=40)
    group = _approved_group(meeting_frequency="monthly", first_meeting=first)
    draft = Meeting.objects.get(meetup=group)
    assert not draft.confirmed and draft.repeat == Repeat.MONTHLY_WEEKDAY
    assert draft.starts_on.weekday() == first.weekday()
    # Not public until confirmed, and the private page says so.
    assert "Next meeting" not in client.get("/meetups/").content.decode()
    assert "draft schedule" in client.get(_page(group)).content.decode()


def _contact_post(client, group, **overrides):
    token = meeting_forms.form_token(slug=group.slug)
    data = {
        "name": "Member Mo",
        "email": "mo@example.net",
        "message": "Can I bring my kid?",
        "website": "",
        "token": token,
        **overrides,
    }
    return client.post(f"/meetups/{group.slug}/write/", data)


def test_a_member_writes_to_the_organizers_with_reply_to(client, monkeypatch):
    group = _approved_group()
    monkeypatch.setattr(meeting_forms, "MIN_SECONDS", 0)
    form = client.get(f"/meetups/{group.slug}/write/").content.decode()
    assert "Reply-To" in form
    for email in GroupContact.objects.filter(meetup=group).values_list("email", flat=True):
        assert email not in form
    response = _contact_post(client, group)
    assert response.status_code == 302
    rows = Notification.objects.filter(kind=Kind.GROUP_MESSAGE)
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(
        e.lower() for e in group.contacts.values_list("email", flat=True)
    )
    message = delivery.build_email(rows.first())
    assert message.reply_to == ["mo@example.net"]
    assert "Can I bring my kid?" in message.body


def test_bots_are_stopped_without_a_captcha(client):
    group = _approved_group()
    assert _contact_post(client, group, website="http://spam.example").status_code == 400
    # Sent at once after the page was shown: quicker than people type.
    assert "quicker than people type" in _contact_post(client, group).content.decode()
    assert _contact_post(client, group, token="forged:token").status_code == 400
    assert not Notification.objects.filter(kind=Kind.GROUP_MESSAGE).exists()


def test_messages_are_throttled_per_sender_and_the_organizers_can_switch_it_off(
    client, monkeypatch
):
    group = _approved_group()
    monkeypatch.setattr(meeting_forms, "MIN_SECONDS", 0)
    for _ in range(services.MESSAGES_PER_SENDER_PER_DAY):
        assert _contact_post(client, group).status_code == 302
    refused = _contact_post(client, group)
    assert refused.status_code == 429
    assert "Can I bring my kid?" in refused.content.decode()  # nothing typed is lost
    client.post(_page(group) + "settings/", {"accepts_messages": ""})
    group.refresh_from_db()
    assert not group.accepts_messages
    assert "Write to the organizers" not in client.get(group.get_absolute_url()).content.decode()
    assert client.get(f"/meetups/{group.slug}/write/").status_code == 404


def test_the_directory_filters_by_words_topic_format_and_soon(client):
    zines = factories.meetup(name="Zine makers", description="Paper and staples")
    code = factories.meetup(name="Code club", description="Python for beginners")
    topic = Topic.objects.create(name="Crafts", slug="crafts")
    zines.topics.add(topic)
    soon = timezone.localdate() + timedelta(days=3)
    services.save_meeting(
        meeting=Meeting(
            meetup=code,
            starts_on=soon,
            start_time=time(18),
            end_time=time(19),
            place=Place.ONLINE,
            join_url="https://meet.example.org/code",
        )
    )

    def names(query):
        page = client.get("/meetups/?" + query).content.decode()
        return [n for n in ("Zine makers", "Code club") if f">{n}</a></h2>" in page]

    assert names("q=python") == ["Code club"]
    assert names("topic=crafts") == ["Zine makers"]
    assert names("format=online") == ["Code club"]
    assert names("soon=1") == ["Code club"]
    assert names("q=nothing-matches") == []
    assert names("topic=%3Cscript%3E&format=bogus") == ["Zine makers", "Code club"]
    data = json.loads(client.get("/meetups.json?topic=crafts").content)
    assert [g["name"] for g in data["groups"]] == ["Zine makers"]


def test_program_managers_keep_topics_and_tag_groups(client):
    manager = factories.staff_user(role="manager")
    client.force_login(manager)
    assert client.post("/reviews/topics/", {"name": "<b>Crafts</b>"}).status_code == 400
    assert not Topic.objects.exists()
    assert client.post("/reviews/topics/", {"name": "Crafts"}).status_code == 302
    topic = Topic.objects.get(slug="crafts")
    group = factories.meetup()
    client.post(f"/reviews/groups/{group.slug}/topics/", {"topics": [topic.pk]})
    assert list(group.topics.all()) == [topic]
    client.logout()
    assert client.get("/reviews/topics/").status_code in (302, 403)
