"""A group's whole life in a real browser, the timed steps run with a controlled clock
(issue 23): the approval email leads to the private group page; the organizer edits it,
adds a co-organizer and hands over; the successor accepts from their email, checks in,
and a year later says the group is no longer meeting (confirmed). Another group goes
through "not confirmed recently" and the archive. Every email sent on the way is read for
its greeting (by name), its dates (none past, none ISO) and its links."""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import Resolver404, resolve
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import State
from meetups import nightly
from meetups.models import Lifecycle, Meetup
from notifications import delivery
from notifications.models import Kind, Notification
from tests import factories
from tests.meetups.helpers import noon

from .helpers import BROWSER, assert_accessible

pytestmark = BROWSER

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
HUMAN_DATE = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS}) \d{{4}}\b")
ISO_DATE = re.compile(r"(?<![/\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
LINK = re.compile(r"https?://\S+")


class Mailbox:
    """Reads every email recorded since the last look, as it is sent."""

    def __init__(self):
        self.seen = 0

    def read(self, *, on) -> list:
        """The new emails, each checked; `on` is the day they were sent."""
        rows = list(Notification.objects.filter(pk__gt=self.seen).order_by("pk"))
        if rows:
            self.seen = rows[-1].pk
        emails = []
        for row in rows:
            message = delivery.build_email(row)
            body = message.body
            greeting = body.splitlines()[0]
            assert re.fullmatch(r"Hello [^,]+,", greeting), f"{row.kind}: {greeting!r}"
            # Only a staff account made without a name (the factories' deciders) may be
            # greeted without one; never by its address.
            nameless_staff = (
                get_user_model()
                .objects.filter(email__iexact=row.recipient, first_name="", last_name="")
                .exists()
            )
            if not nameless_staff:
                assert greeting != "Hello there,", f"{row.kind} to {row.recipient}: no name"
            assert settings.PROGRAM_CONTACT_EMAIL in body, f"{row.kind}: no contact line"
            assert not ISO_DATE.search(body), f"{row.kind}: ISO date in\n{body}"
            for text in HUMAN_DATE.findall(body):
                assert datetime.strptime(text, "%d %B %Y").date() >= on, (
                    f"{row.kind} sent {on} names {text}:\n{body}"
                )
            assert "(link not available)" not in body, f"{row.kind}:\n{body}"
            for url in LINK.findall(body):
                assert url.startswith(settings.SITE_URL), url
                try:
                    resolve(url.removeprefix(settings.SITE_URL).rstrip(".,)"))
                except Resolver404:
                    raise AssertionError(f"{row.kind}: {url} leads nowhere") from None
            emails.append((row, body))
        return emails


def _path(body: str, pattern: str) -> str:
    found = re.search(rf"{re.escape(settings.SITE_URL)}(/groups/[\w-]+/{pattern})", body)
    assert found, body
    return found.group(1)


def _pass(day, mailbox):
    nightly.run_pass(now=noon(day))
    return mailbox.read(on=day)


class Clock:
    """The site's clock (django.utils.timezone.now, which the live server's thread reads
    too), set to noon on a day, or real time when unset."""

    def __init__(self, monkeypatch):
        self.day = None
        real = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: noon(self.day) if self.day else real())

    def today(self):
        return self.day or timezone.localdate()


def test_a_group_from_approval_to_no_longer_meeting_and_another_through_the_archive(
    new_page, monkeypatch
):
    clock = Clock(monkeypatch)
    factories.staff_user(role="manager", first_name="Pat", last_name="Manager")
    mailbox = Mailbox()
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Zine Makers")
    group = Meetup.objects.get(proposal=proposal)
    today = timezone.localdate()
    founder = proposal.organizers.first()
    approvals = [b for r, b in mailbox.read(on=today) if r.kind == Kind.APPROVED]
    founders = [b for b in approvals if b.startswith(f"Hello {founder.name},")]
    assert founders, approvals

    # Approval email -> the private group page.
    page = new_page()
    page.goto(_path(founders[0], ""))
    expect(page.get_by_role("heading", level=1)).to_have_text("Zine Makers")
    expect(page.get_by_role("main")).to_contain_text(founder.name)
    assert_accessible(page)

    # Edit the details: the co-organizer hears of it.
    page.get_by_role("link", name="Update the group's details").click()
    page.get_by_label("Public description").fill("We make zines together, every month.")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("main")).to_contain_text("the directory shows the change now")
    assert any(r.kind == Kind.GROUP_EDITED for r, _ in mailbox.read(on=today))

    # Add a co-organizer: they get their own link.
    page.get_by_role("link", name="Add or remove organizers").click()
    page.get_by_role("textbox", name="Name").fill("Cleo Cutter")
    page.get_by_label("Email address").fill("cleo@example.org")
    page.get_by_role("button", name="Add organizer").click()
    expect(page.get_by_role("main")).to_contain_text("Cleo Cutter is an organizer now")
    welcome = [b for r, b in mailbox.read(on=today) if r.kind == Kind.GROUP_WELCOME]
    assert welcome and welcome[0].startswith("Hello Cleo Cutter,")

    # Hand over to a successor, who accepts from their own email.
    founder_page = page.url.split("/organizers/")[0] + "/"
    page.goto(founder_page)
    page.get_by_role("link", name="Hand over to a successor").click()
    page.get_by_label("Your successor's name").fill("Sam Successor")
    page.get_by_label("Your successor's email address").fill("sam@example.org")
    page.get_by_role("button", name="Send the handover").click()
    offer = [b for r, b in mailbox.read(on=today) if r.kind == Kind.GROUP_HANDOVER]
    assert offer and offer[0].startswith("Hello Sam Successor,")
    sam = new_page()
    sam.goto(_path(offer[0], "accept/"))
    sam.get_by_label("Yes, show my name").check()
    sam.get_by_role("button", name="Accept and become an organizer").click()
    expect(sam.get_by_role("main")).to_contain_text("Sam Successor (you)")
    handed = {r.recipient: b for r, b in mailbox.read(on=today) if r.kind == Kind.GROUP_HANDED_OVER}
    assert "You have handed Zine Makers over to Sam Successor" in handed[founder.email]
    page.goto(founder_page)  # the old link says what happened, and whom to write to
    expect(page.get_by_role("main")).to_contain_text("You handed Zine Makers over to Sam Successor")
    assert_accessible(page)

    # The yearly check-in opens on its day (controlled clock); Sam answers from the email.
    group.refresh_from_db()
    due = group.check_in_due_on
    clock.day = due - timedelta(days=settings.CHECK_IN_NOTICE_DAYS)
    notices = [(r, b) for r, b in _pass(clock.day, mailbox) if r.recipient == "sam@example.org"]
    assert notices and notices[0][0].kind == Kind.GROUP_CHECK_IN
    sam.goto(_path(notices[0][1], "check-in/"))
    assert_accessible(sam)
    sam.get_by_role("group", name="Is the group still meeting?").get_by_label("Yes").check()
    sam.get_by_label("How many times did the group meet").fill("10")
    sam.get_by_role("group", name="Are the organizers on the group's page").get_by_label(
        "Yes"
    ).check()
    sam.get_by_label("Anything else we should know").fill("New venue from May.")
    sam.get_by_role("button", name="Send the check-in").click()
    expect(sam.get_by_role("main")).to_contain_text("confirmed as active")
    mailbox.read(on=clock.today())
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE and group.check_in_due_on > due

    # A year later: the group has stopped; "no longer meeting" asks first, then archives.
    next_due = group.check_in_due_on
    clock.day = next_due - timedelta(days=settings.CHECK_IN_NOTICE_DAYS)
    notices = [b for r, b in _pass(clock.day, mailbox) if r.recipient == "sam@example.org"]
    sam.goto(_path(notices[0], "check-in/"))
    sam.get_by_role("group", name="Is the group still meeting?").get_by_label("No").check()
    sam.get_by_role("group", name="Are the organizers on the group's page").get_by_label(
        "Yes"
    ).check()
    sam.get_by_role("button", name="Send the check-in").click()
    expect(sam.get_by_role("heading", level=1)).to_contain_text("no longer meeting?")
    assert_accessible(sam)
    group.refresh_from_db()
    assert group.is_listed  # nothing yet
    sam.get_by_role("button", name="Yes, the group has stopped meeting").click()
    expect(sam.get_by_role("main")).to_contain_text("The group is off the directory now")
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ARCHIVED and not group.is_listed
    closed = [r.kind for r, _ in mailbox.read(on=clock.today())]
    assert Kind.GROUP_ARCHIVED in closed

    # Another group says nothing: notice, reminders, "not confirmed recently", archived.
    clock.day = None
    other, _ = factories.proposal_in_state(State.APPROVED, name="Quiet Quilters")
    quiet = Meetup.objects.get(proposal=other)
    mailbox.read(on=today)
    due = quiet.check_in_due_on
    kinds = []
    day = due - timedelta(days=settings.CHECK_IN_NOTICE_DAYS)
    last = due + timedelta(days=settings.CHECK_IN_GRACE_DAYS + settings.LAPSED_ARCHIVE_DAYS)
    while day <= last:
        clock.day = day
        kinds += [r.kind for r, _ in _pass(day, mailbox)]
        quiet.refresh_from_db()
        if day == due + timedelta(days=settings.CHECK_IN_GRACE_DAYS):
            assert quiet.lifecycle == Lifecycle.LAPSED
            visitor = new_page()
            visitor.goto("/meetups/")
            lapsed = visitor.get_by_role("main")
            expect(lapsed).to_contain_text("Not confirmed recently")
            visitor.goto("/")
            expect(visitor.get_by_role("main")).not_to_contain_text("Quiet Quilters")
        day += timedelta(days=1)
    assert quiet.lifecycle == Lifecycle.ARCHIVED and not quiet.is_listed
    for kind in (Kind.GROUP_CHECK_IN, Kind.GROUP_REMINDER, Kind.GROUP_LAPSED, Kind.GROUP_ARCHIVED):
        assert kind in kinds
