"""Meetings in a real browser: an organizer publishes a monthly meeting; a member on a phone
finds the group by topic, sees the next meeting, downloads its .ics and writes to the
organizers; the organizers' email carries the message and Reply-To, and no organizer address
appears in any public response. The new pages pass axe and fit both widths."""

from datetime import time, timedelta
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import State
from meetups import access, meeting_forms
from meetups import meetings as meeting_services
from meetups.models import Meeting, Meetup, Topic
from notifications import delivery
from notifications.models import Kind, Notification
from tests import factories

from .helpers import (
    BROWSER,
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_the_width,
    sign_in,
)

pytestmark = BROWSER


def _second_tuesday_ahead():
    day = timezone.localdate() + timedelta(days=1)
    while not (day.weekday() == 1 and 8 <= day.day <= 14):
        day += timedelta(days=1)
    return day


def test_publish_find_by_topic_download_and_write(new_page, monkeypatch):
    monkeypatch.setattr(meeting_forms, "MIN_SECONDS", 0)
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Zine Makers")
    group = Meetup.objects.get(proposal=proposal)
    factories.meetup(name="Code Club")
    Topic.objects.create(name="Crafts", slug="crafts")
    organizer_emails = [e.lower() for e in group.contacts.values_list("email", flat=True)]
    public_bodies = []

    def keep_public(response):
        if "/groups/" not in response.url and response.request.resource_type == "document":
            public_bodies.append(response.text())

    # The organizer publishes a monthly meeting and tags the group.
    page = new_page(DESKTOP)
    page.goto(f"/groups/{access.issue_group_link(contact=group.contacts.first())}/")
    page.get_by_role("link", name="Meetings, topics and messages").click()
    assert_accessible(page)
    page.get_by_label("Crafts").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Publish a meeting").first.click()
    assert_accessible(page)
    day = _second_tuesday_ahead()
    page.get_by_label("Date (the first one, if it repeats)").fill(day.isoformat())
    page.get_by_label("Starts at").fill("18:00")
    page.get_by_label("Ends at").fill("19:30")
    page.locator("#id_repeat").select_option("monthly_weekday")
    page.locator("#id_week_of_month").select_option("2")
    page.get_by_label("Repeats until").fill((day + timedelta(days=330)).isoformat())
    page.get_by_label("In person", exact=True).check()
    page.get_by_label("Venue").fill("Council library")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("main")).to_contain_text("The meeting is published")
    assert Meeting.objects.filter(meetup=group, confirmed=True).count() == 1
    page.close()

    # A member on a phone finds it by topic.
    phone = new_page(PHONE)
    phone.on("response", keep_public)
    phone.goto("/meetups/")
    assert_accessible(phone)
    assert_fits_the_width(phone)
    phone.get_by_label("Topic").select_option("crafts")
    phone.get_by_role("button", name="Find groups").click()
    results = phone.locator("#directory-results")
    expect(results).to_contain_text("Zine Makers")
    expect(results).not_to_contain_text("Code Club")
    expect(results).to_contain_text("Next meeting:")
    results.get_by_role("heading", name="Zine Makers").get_by_role("link").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Zine Makers")
    assert_accessible(phone)
    assert_fits_the_width(phone)
    expect(phone.get_by_role("main")).to_contain_text(day.strftime("%A %-d %B %Y"))
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="Add to calendar").first.click()
    cal = icalendar.Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    (event,) = cal.walk("VEVENT")
    assert event["DTSTART"].dt.date() == day
    phone.get_by_role("link", name="Write to the organizers").click()
    assert_accessible(phone)
    assert_fits_the_width(phone)
    expect(phone.get_by_role("main")).to_contain_text("Reply-To")
    phone.get_by_label("Your name").fill("Member Mo")
    phone.get_by_label("Your email address").fill("mo@example.net")
    phone.get_by_label("Your message").fill("Is the library step-free?")
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_role("main")).to_contain_text("Your message was sent")

    rows = Notification.objects.filter(kind=Kind.GROUP_MESSAGE)
    assert sorted(rows.values_list("recipient", flat=True)) == sorted(organizer_emails)
    email = delivery.build_email(rows.first())
    assert email.reply_to == ["mo@example.net"]
    assert "Is the library step-free?" in email.body
    for path in ("/meetups.json", f"/meetups/{group.slug}/calendar.ics", "/meetups/calendar.ics"):
        public_bodies.append(phone.request.get(path).text())
    assert public_bodies
    for body in public_bodies:
        for address in organizer_emails:
            assert address not in body


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_new_pages_pass_axe_at_both_widths(new_page, viewport):
    manager = factories.staff_user(role="manager")
    Topic.objects.create(name="Crafts", slug="crafts")
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Zine Makers")
    group = Meetup.objects.get(proposal=proposal)
    token = access.issue_group_link(contact=group.contacts.first())
    # A weekly meeting with one date cancelled: the changed dates and their buttons show.
    first = timezone.localdate() + timedelta(days=2)
    meeting = meeting_services.save_meeting(
        meeting=Meeting(
            meetup=group,
            starts_on=first,
            start_time=time(18),
            end_time=time(19),
            repeat="weekly",
            repeat_until=first + timedelta(days=60),
            venue="Council library",
        )
    )
    meeting_services.change_date(
        meeting=meeting, original_date=first + timedelta(days=7), kind="cancelled"
    )
    # An imported group with nobody to write to: its page and the write page name staff.
    imported = factories.meetup(is_listed=True)
    page = new_page(viewport)
    for path in (
        f"/meetups/{imported.slug}/",
        f"/meetups/{imported.slug}/write/",
        f"/groups/{token}/meetings/",
        f"/groups/{token}/meetings/new/",
        f"/groups/{token}/meetings/{meeting.pk}/dates/",
        f"/meetups/{group.slug}/",
        f"/meetups/{group.slug}/write/",
        "/meetups/?topic=crafts",
        "/meetups/?topic=software&soon=1",
    ):
        page.goto(path)
        assert_accessible(page)
        assert_fits_the_width(page)
    page.goto(f"/groups/{token}/meetings/new/")
    page.get_by_role("button", name="Publish").click()  # empty: the errors page
    assert_accessible(page)
    assert_fits_the_width(page)
    page.goto("/accounts/login/")
    sign_in(page, manager)
    page.goto("/reviews/topics/")
    assert_accessible(page)
    assert_fits_the_width(page)
    # A topic's own page, and its confirmation to remove it.
    page.goto(f"/reviews/topics/{Topic.objects.get(slug='crafts').pk}/")
    assert_accessible(page)
    assert_fits_the_width(page)
    page.get_by_role("button", name="Remove Crafts").click()
    assert_accessible(page)
    assert_fits_the_width(page)


def test_the_meeting_form_shows_the_repeat_fields_only_for_a_repeating_rule(new_page):
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Zine Makers")
    group = Meetup.objects.get(proposal=proposal)
    page = new_page(PHONE)
    page.goto(f"/groups/{access.issue_group_link(contact=group.contacts.first())}/meetings/new/")
    page.locator("#id_repeat").select_option("never")
    expect(page.locator("#id_week_of_month")).to_be_hidden()
    expect(page.locator("#id_interval")).to_be_hidden()
    page.locator("#id_repeat").select_option("weekly")
    expect(page.locator("#id_interval")).to_be_visible()
    expect(page.locator("#id_week_of_month")).to_be_hidden()
    page.locator("#id_repeat").select_option("monthly_weekday")
    expect(page.locator("#id_week_of_month")).to_be_visible()
    assert_accessible(page)
