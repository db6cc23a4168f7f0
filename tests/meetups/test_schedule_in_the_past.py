"""A schedule with no date from today on is refused, on the form and in the service, with
a message that says so (issue 22, third run)."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from intake.models import State
from meetups import access
from meetups import meetings as services
from meetups.models import Meeting, Meetup, Place, Repeat
from tests import factories

pytestmark = pytest.mark.django_db

PAST_MESSAGE = "Every date of this schedule is in the past"


def _approved_group():
    proposal, _ = factories.proposal_in_state(State.APPROVED)
    return Meetup.objects.get(proposal=proposal)


def _weekly_in_the_past() -> tuple[date, date]:
    today = timezone.localdate()
    first = today - timedelta(days=200)
    return first, today - timedelta(days=30)


def _form(first: date, until: date) -> dict:
    return {
        "title": "",
        "starts_on": first.isoformat(),
        "start_time": "18:00",
        "end_time": "19:30",
        "repeat": Repeat.WEEKLY,
        "interval": "1",
        "week_of_month": "",
        "repeat_until": until.isoformat(),
        "place": Place.IN_PERSON,
        "venue": "Council library",
        "address": "",
        "join_url": "",
        "join_url_public": "on",
        "note": "",
    }


@pytest.mark.parametrize(
    "first,until",
    [_weekly_in_the_past(), (date(2025, 1, 7), date(2025, 6, 1))],
    ids=["within-a-year", "attack-run"],
)
def test_a_schedule_entirely_in_the_past_is_refused_on_the_form(client, first, until):
    group = _approved_group()
    page = f"/groups/{access.issue_group_link(contact=group.contacts.first())}/"
    response = client.post(page + "meetings/new/", _form(first, until))
    assert response.status_code == 400
    body = response.content.decode()
    assert "in the past" in body or "more than a year ago" in body
    assert not Meeting.objects.filter(meetup=group, confirmed=True).exists()


def test_a_schedule_entirely_in_the_past_is_refused_by_the_service():
    group = _approved_group()
    first, until = _weekly_in_the_past()
    meeting = Meeting(
        meetup=group,
        starts_on=first,
        start_time=time(18),
        end_time=time(19, 30),
        repeat=Repeat.WEEKLY,
        repeat_until=until,
        place=Place.IN_PERSON,
        venue="Council library",
    )
    with pytest.raises(services.MeetingError, match=PAST_MESSAGE):
        services.save_meeting(meeting=meeting)
    assert not Meeting.objects.filter(meetup=group, confirmed=True).exists()


def test_an_existing_series_cannot_be_edited_to_end_in_the_past():
    group = _approved_group()
    today = timezone.localdate()
    meeting = Meeting.objects.create(
        meetup=group,
        starts_on=today - timedelta(days=70),
        start_time=time(18),
        end_time=time(19, 30),
        repeat=Repeat.WEEKLY,
        repeat_until=today + timedelta(days=70),
        place=Place.IN_PERSON,
        venue="Council library",
        confirmed=True,
    )
    meeting.repeat_until = today - timedelta(days=3)
    with pytest.raises(services.MeetingError, match=PAST_MESSAGE):
        services.save_meeting(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.repeat_until == today + timedelta(days=70)


def test_a_plan_whose_first_meeting_has_passed_seeds_a_draft_from_today_on(client):
    planned = timezone.localdate() - timedelta(days=20)
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    proposal.meeting_frequency, proposal.first_meeting = "monthly", planned
    draft = services.seed_from_proposal(meetup=factories.meetup(), proposal=proposal)
    assert draft.starts_on >= timezone.localdate()
    assert any(d >= timezone.localdate() for d in [draft.starts_on, draft.repeat_until])
