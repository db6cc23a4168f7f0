"""The promised reply date: REVIEW_DAYS business days after submission, weekends and
closure dates skipped; shown on the confirmation page, the status page and the email."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from accounts.roles import Actor, staff_actor
from intake import services
from intake.business_days import add_business_days, clock_text, reply_due_for
from intake.models import Proposal, State
from notifications.models import Kind, Notification
from tests import factories

D = datetime.date
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_weekends_do_not_count():
    friday = D(2026, 12, 4)
    assert add_business_days(friday, 1, closures=()) == D(2026, 12, 7)  # Monday
    assert add_business_days(D(2026, 12, 5), 1, closures=()) == D(2026, 12, 7)  # from Saturday
    assert add_business_days(friday, 5, closures=()) == D(2026, 12, 11)
    # Three weeks of business days from a Monday end on the Monday three weeks on.
    assert add_business_days(D(2026, 11, 30), 15, closures=()) == D(2026, 12, 21)


def test_closure_dates_do_not_count():
    closures = (D(2026, 12, 24), D(2026, 12, 25), D(2027, 1, 1))
    # Mon 21 Dec + 5 business days: 22, 23, (24, 25 closed, 26-27 weekend) 28, 29, 30.
    assert add_business_days(D(2026, 12, 21), 5, closures=closures) == D(2026, 12, 30)
    # Wed 30 Dec + 2: 31, (1 Jan closed, 2-3 weekend) Mon 4 Jan.
    assert add_business_days(D(2026, 12, 30), 2, closures=closures) == D(2027, 1, 4)


def test_closure_dates_come_from_the_settings(settings):
    settings.REVIEW_CLOSURE_DATES = (D(2026, 12, 7),)
    assert add_business_days(D(2026, 12, 4), 1) == D(2026, 12, 8)


def test_the_date_counts_from_the_programs_own_day(settings):
    settings.REVIEW_DAYS = 1
    settings.REVIEW_CLOSURE_DATES = ()
    # 11 pm on a Friday in New York is already Saturday in UTC: still Friday's promise.
    late_friday = datetime.datetime(2026, 12, 4, 23, 0, tzinfo=NEW_YORK)
    assert reply_due_for(late_friday) == D(2026, 12, 7)


def test_clock_in_words():
    today = D(2026, 12, 7)
    assert clock_text(D(2026, 12, 10), today=today) == "Due in 3 days"
    assert clock_text(D(2026, 12, 8), today=today) == "Due tomorrow"
    assert clock_text(today, today=today) == "Due today"
    assert clock_text(D(2026, 12, 6), today=today) == "Overdue by 1 day"
    assert clock_text(D(2026, 12, 5), today=today) == "Overdue by 2 days"


@pytest.mark.django_db
def test_submit_and_resubmit_promise_a_date(settings):
    settings.REVIEW_DAYS = 15
    proposal, _ = factories.draft()
    assert proposal.reply_due is None
    proposal = services.run_transition(
        proposal=proposal, name="submit", actor=Actor.organizer_link()
    )
    expected = add_business_days(timezone.localdate(proposal.submitted_at), 15)
    assert proposal.reply_due == expected
    assert expected.weekday() < 5
    assert Proposal.objects.get(pk=proposal.pk).reply_due == expected

    # A resubmission promises a new date, counted from the resubmission.
    Proposal.objects.filter(pk=proposal.pk).update(reply_due=D(2020, 1, 1))
    manager = factories.staff_user(role="manager")
    services.run_transition(
        proposal=proposal, name="request_changes", actor=staff_actor(manager), note="More."
    )
    resubmitted = services.run_transition(
        proposal=proposal, name="resubmit", actor=Actor.organizer_link()
    )
    assert resubmitted.state == State.SUBMITTED
    assert resubmitted.reply_due == add_business_days(
        timezone.localdate(resubmitted.submitted_at), 15
    )


def _promised(proposal) -> str:
    return proposal.reply_due.strftime("%A %-d %B %Y")


@pytest.mark.django_db
def test_confirmation_page_status_page_and_email_show_the_date(client):
    proposal, token = factories.draft()
    response = client.post(f"/proposals/{token}/check/", {"expected_state": "draft"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == State.SUBMITTED and proposal.reply_due
    promised = _promised(proposal)

    confirmation = client.get(f"/proposals/{token}/submitted/").content.decode()
    assert (
        f'We will reply by <strong><time datetime="{proposal.reply_due:%Y-%m-%d}">{promised}</time>'
        in confirmation
    )

    status = client.get(f"/proposals/{token}/").content.decode()
    assert (
        f'Staff will reply by <strong><time datetime="{proposal.reply_due:%Y-%m-%d}">{promised}</time>'
        in status
    )

    email = Notification.objects.get(
        proposal=proposal, kind=Kind.SUBMITTED, recipient=proposal.primary_contact.email
    )
    assert f"reply by {promised}." in email.body_text
    assert f"reply by <strong>{promised}</strong>" in email.body_html


@pytest.mark.django_db
def test_status_page_hides_the_date_once_the_clock_stops(client):
    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    assert proposal.reply_due
    assert "Staff will reply by" not in client.get(f"/proposals/{token}/").content.decode()


def test_public_holidays_of_the_program_s_place_are_skipped_and_closures_added_on_top(settings):
    # Issue 23, bug 12: 15 business days from Friday 4 December 2026 fell on 25 December.
    settings.REVIEW_HOLIDAYS = "US-NY"
    assert add_business_days(D(2026, 12, 4), 15, closures=()) == D(2026, 12, 28)
    # The council's own closure dates come on top of the public holidays.
    assert add_business_days(D(2026, 12, 4), 15, closures=(D(2026, 12, 28),)) == D(2026, 12, 29)
    # New York's own holidays too (Lincoln's Birthday, Friday 12 February 2027; Monday
    # 15 February is Washington's Birthday, everywhere).
    assert add_business_days(D(2027, 2, 11), 1, closures=()) == D(2027, 2, 16)
    settings.REVIEW_HOLIDAYS = "US"  # the country's holidays only
    assert add_business_days(D(2027, 2, 11), 1, closures=()) == D(2027, 2, 12)
    settings.REVIEW_HOLIDAYS = ""  # none: weekends and closure dates only
    assert add_business_days(D(2026, 12, 4), 15, closures=()) == D(2026, 12, 25)
