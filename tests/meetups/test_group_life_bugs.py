"""Issue 23, the group side: each bug found by a new user's tour, and the frictions around a
group's life, as the people concerned see them (pages, emails sent and to whom)."""

import csv
import io
import re
from datetime import time, timedelta

import pytest
from django.utils import timezone

from accounts.roles import staff_actor
from common import transitions
from common.actors import ORGANIZER, SYSTEM
from intake.models import State
from meetups import access, check_ins, lifecycle, nightly, services, stewardship
from meetups.models import Handover, Lifecycle, Meeting, Meetup
from notifications import delivery
from notifications.groups import record_group_digest
from notifications.models import Kind, Notification
from tests import factories
from tests.meetups.helpers import noon

pytestmark = pytest.mark.django_db

GROUP_LINK = re.compile(r"http://[^/\s]+(/groups/[A-Za-z0-9_-]+/)")


def _approved(**content):
    proposal, token = factories.proposal_in_state(State.APPROVED, **content)
    return Meetup.objects.get(proposal=proposal), proposal, token


def _page(meetup, contact=None) -> str:
    contact = contact or meetup.contacts.first()
    return f"/groups/{access.issue_group_link(contact=contact)}/"


def _body(**filters) -> str:
    return delivery.build_email(Notification.objects.get(**filters)).body


def test_bug1_an_old_check_in_date_takes_one_step_a_night_and_no_email_names_a_past_date(
    settings,
):
    settings.CHECK_IN_NOTICE_DAYS, settings.CHECK_IN_GRACE_DAYS = 30, 60
    settings.LAPSED_ARCHIVE_DAYS = 90
    today = timezone.localdate()
    group = factories.meetup(check_in_due_on=today - timedelta(days=400))  # an old import
    group.contacts.create(name="Ada Lovelace", email="ada@example.org")
    tomorrow = today + timedelta(days=1)
    nightly.run_pass(now=noon(tomorrow))
    group.refresh_from_db()
    # One step: the check-in opens, due that day; not lapsed, let alone archived.
    assert group.lifecycle == Lifecycle.CHECK_IN_DUE and group.is_listed
    assert group.check_in_due_on == tomorrow
    body = _body(kind=Kind.GROUP_CHECK_IN, recipient="ada@example.org")
    named = [
        timezone.datetime.strptime(m.group(0), "%d %B %Y").date()
        for m in re.finditer(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b", body)
    ]
    assert named and all(day >= tomorrow for day in named), body
    # It lapses only after its full grace, counted from the day the check-in opened.
    nightly.run_pass(now=noon(tomorrow + timedelta(days=59)))
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.CHECK_IN_DUE


def test_bug1_a_manager_cannot_extend_to_a_date_in_the_past():
    manager = factories.staff_user(role="manager")
    group = factories.meetup()
    with pytest.raises(transitions.Refused, match="in the past"):
        lifecycle.run_transition(
            meetup=group,
            name="extend",
            actor=staff_actor(manager),
            note="Typo",
            due_on=timezone.localdate() - timedelta(days=365),
        )
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE and not group.history.exists()


def test_bug2_restoring_a_group_sets_a_new_check_in_date_it_has_not_passed():
    manager = factories.staff_user(role="manager")
    long_ago = timezone.localdate() - timedelta(days=500)
    group = factories.meetup(check_in_due_on=long_ago)
    services.archive_meetup(meetup=group, actor=staff_actor(manager))
    services.restore_meetup(meetup=group, actor=staff_actor(manager), note="Back")
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE
    assert group.check_in_due_on > timezone.localdate() + timedelta(days=300)


def test_bug5_the_approval_email_and_the_approved_page_lead_to_the_private_group_page(client):
    group, proposal, token = _approved()
    organizer = proposal.organizers.first()
    body = _body(kind=Kind.APPROVED, recipient=organizer.email)
    found = GROUP_LINK.search(body)
    assert found, body
    page = client.get(found.group(1))
    assert page.status_code == 200 and "Your group's private page" in page.content.decode()

    status = client.get(f"/proposals/{token}/").content.decode()
    assert "Email me the group" in status and "private page</button>" in status
    # The proposal's link is shared by everyone it named: the button emails each person who
    # keeps the group their own link, and opens no group page itself.
    asked = client.post(f"/proposals/{token}/group/")
    assert asked.status_code == 302 and asked.url == f"/proposals/{token}/"
    keepers = {c.email.lower() for c in group.contacts.all()}
    mailed = set(
        Notification.objects.filter(kind=Kind.GROUP_LINKS).values_list("recipient", flat=True)
    )
    assert mailed == keepers


def test_a_removed_organizer_gets_no_way_back_in_through_the_proposal_page(client):
    # The first fresh-eyes tour of issue 23: a removed organizer's proposal link opened the
    # group's page in the primary contact's name.
    group, proposal, token = _approved()
    removed = group.contacts.create(name="Carol Third", email="carol@example.org", position=9)
    stewardship.remove_organizer(contact=removed, actor=ORGANIZER)
    client.post(f"/proposals/{token}/group/")
    mailed = set(
        Notification.objects.filter(kind=Kind.GROUP_LINKS).values_list("recipient", flat=True)
    )
    assert removed.email.lower() not in mailed
    assert mailed == {c.email.lower() for c in group.contacts.all()}


def test_bug6_a_note_is_credited_to_the_organizer_who_wrote_it():
    group, proposal, _ = _approved()
    writer = group.contacts.first()
    check_ins.check_in(
        meetup=group,
        contact=writer,
        answers=check_ins.CheckInAnswers(True, 4, None, True, "We moved to Thursdays."),
    )
    other = group.contacts.exclude(pk=writer.pk).first()
    body = _body(kind=Kind.GROUP_ACTIVE, recipient=other.email)
    assert f"Note from {writer.name}: We moved to Thursdays." in body
    assert "Note from METRO Meetups" not in body


def test_bug7_removing_an_organizer_asks_first_and_tells_them_and_the_others(client, settings):
    settings.MIN_ORGANIZERS = 2
    group, _, _ = _approved()
    first = group.contacts.first()
    stewardship.add_organizer(
        meetup=group,
        actor=ORGANIZER,
        name="Jo Third",
        email="jo@example.org",
        show_publicly=True,
    )
    jo = group.contacts.get(email="jo@example.org")
    page = _page(group, first)
    asked = client.post(page + "organizers/", {"remove": str(jo.pk)})
    assert asked.status_code == 200 and "Remove Jo Third from" in asked.content.decode()
    assert group.contacts.filter(pk=jo.pk).exists()  # nothing happened yet
    client.post(page + "organizers/", {"remove": str(jo.pk), "confirm": "1", "note": "Thanks!"})
    assert not group.contacts.filter(pk=jo.pk).exists()
    told = set(
        Notification.objects.filter(kind=Kind.GROUP_ORGANIZER_REMOVED).values_list(
            "recipient", flat=True
        )
    )
    assert told == {"jo@example.org", *group.contacts.values_list("email", flat=True)}
    theirs = _body(kind=Kind.GROUP_ORGANIZER_REMOVED, recipient="jo@example.org")
    assert "Hello Jo Third," in theirs
    assert f"{first.name} removed you as an organizer of {group.name}" in theirs
    assert "Thanks!" in theirs


def test_bug9_a_lapsed_group_is_not_meeting_now_on_the_home_page(client):
    # Issue 25: the home page lists the coming weeks' meetings instead of group names.
    quiet = factories.meetup(name="Quiet Quilters")
    busy = factories.meetup(name="Busy Bookbinders")
    for group in (quiet, busy):
        Meeting.objects.create(
            meetup=group,
            starts_on=timezone.localdate() + timedelta(days=2),
            start_time=time(18),
            end_time=time(19),
            venue="Hall",
        )
    Meetup.objects.filter(name="Quiet Quilters").update(lifecycle=Lifecycle.LAPSED)
    home = client.get("/").content.decode()
    meeting_now = home[home.index("Meetings in the coming weeks") :]
    assert "Busy Bookbinders" in meeting_now and "Quiet Quilters" not in meeting_now


def test_bug10_the_csv_export_has_the_public_description(client):
    factories.proposal_in_state(State.SUBMITTED, summary="Zines, made together.")
    client.force_login(factories.staff_user(role="manager"))
    # The export asks for a fresh sign-in first (staff accounts on allauth).
    client.post("/accounts/reauthenticate/", {"password": factories.STAFF_PASSWORD})
    response = client.get("/reviews/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["Public description"] == "Zines, made together."


def test_bug11_group_emails_greet_by_name_end_with_the_contact_and_read_well(settings):
    settings.PROGRAM_CONTACT_EMAIL = "meetups@council.example.org"
    group, proposal, _ = _approved(name="Zine Librarians")
    lifecycle.run_transition(meetup=group, name="open_check_in", actor=SYSTEM, now=timezone.now())
    for contact in group.contacts.all():
        body = _body(kind=Kind.GROUP_CHECK_IN, recipient=contact.email)
        assert body.startswith(f"Hello {contact.name},")
        assert "meetups@council.example.org" in body
        assert "Zine Librarians' check-in" in body and "Librarians's" not in body
        assert "five short questions" in body
    # The proposal's emails too, by the same templates.
    approved = _body(kind=Kind.APPROVED, recipient=proposal.organizers.first().email)
    assert approved.startswith(f"Hello {proposal.organizers.first().name},")
    assert "meetups@council.example.org" in approved


def test_bug11_the_history_shows_dates_in_words_and_the_staff_list_says_a_state_once(client):
    group, _, _ = _approved()
    check_ins.check_in(
        meetup=group,
        contact=group.contacts.first(),
        answers=check_ins.CheckInAnswers(
            True, 2, timezone.localdate().replace(day=1) - timedelta(days=40), True
        ),
    )
    page = client.get(_page(group)).content.decode()
    assert not re.search(r"last on \d{4}-\d{2}-\d{2}", page)
    Meetup.objects.filter(pk=group.pk).update(lifecycle=Lifecycle.CHECK_IN_DUE)
    client.force_login(factories.staff_user(role="manager"))
    dashboard = client.get("/reviews/groups/").content.decode()
    assert "Check-in due; check-in due" not in dashboard


def test_the_meeting_plan_from_the_proposal_is_carried_to_the_group():
    group, proposal, _ = _approved(meeting_frequency="monthly", meeting_format="online")
    assert group.meeting_details.startswith("Monthly, online.")


def test_no_longer_meeting_asks_to_confirm_before_leaving_the_directory(client):
    group, _, _ = _approved()
    page = _page(group)
    answers = {"still_meeting": "no", "organizers_right": "yes", "updates": "We stopped."}
    asked = client.post(page + "check-in/", answers)
    assert asked.status_code == 200 and "no longer meeting?" in asked.content.decode()
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE and group.is_listed
    client.post(page + "check-in/", {**answers, "confirm": "1"})
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ARCHIVED and not group.is_listed


def test_a_pending_handover_is_cancelled_by_its_organizer_or_by_staff(client):
    group, _, _ = _approved()
    outgoing = group.contacts.first()
    page = _page(group, outgoing)
    client.post(page + "handover/", {"successor_name": "Sam", "successor_email": "sam@example.org"})
    offer = Handover.objects.get()
    home = client.get(page).content.decode()
    assert "Cancel the handover" in home
    client.post(page + "handover/cancel/")
    offer.refresh_from_db()
    assert offer.status == Handover.Status.CANCELLED
    told = set(
        Notification.objects.filter(kind=Kind.GROUP_HANDOVER_CANCELLED).values_list(
            "recipient", flat=True
        )
    )
    assert told == {"sam@example.org", outgoing.email}
    theirs = _body(kind=Kind.GROUP_HANDOVER_CANCELLED, recipient=outgoing.email)
    assert f"{outgoing.name} cancelled the handover" in theirs and "you keep" in theirs

    client.post(page + "handover/", {"successor_name": "Kim", "successor_email": "kim@example.org"})
    second = Handover.objects.get(status=Handover.Status.PENDING)
    client.force_login(factories.staff_user(role="manager"))
    staff_page = client.get(f"/reviews/groups/{group.slug}/").content.decode()
    assert "Cancel the handover to Kim" in staff_page
    client.post(f"/reviews/groups/{group.slug}/handovers/{second.pk}/cancel/")
    second.refresh_from_db()
    assert second.status == Handover.Status.CANCELLED


def test_staff_archive_goes_through_its_confirmation_and_each_action_says_what_it_does(client):
    group = factories.meetup(name="Map Readers")
    client.force_login(factories.staff_user(role="manager"))
    page = client.get(f"/reviews/groups/{group.slug}/").content.decode()
    assert "Takes Map Readers off the public directory at once" in page
    assert "Makes Map Readers active at once with the new check-in date" in page
    response = client.post(f"/reviews/groups/{group.slug}/do/archive/", {"note": "x"})
    assert response.status_code == 302 and response.url == f"/meetups/{group.slug}/archive/"
    group.refresh_from_db()
    assert group.is_listed  # not archived without the confirmation


def test_co_organizers_are_told_of_an_edit_and_the_digest_carries_check_in_notes(client):
    factories.staff_user(role="manager")
    group, _, _ = _approved()
    editor, other = list(group.contacts.all())[:2]
    # Someone an organizer added, who has neither agreed nor opened the page.
    added = group.contacts.create(
        name="Never Agreed",
        email="typed@example.org",
        position=9,
        name_pending=True,
        added_by=editor,
    )
    client.post(
        _page(group, editor) + "details/",
        {"description": "New words.", "url": "", "meeting_details": "Tuesdays"},
    )
    told = set(
        Notification.objects.filter(kind=Kind.GROUP_EDITED).values_list("recipient", flat=True)
    )
    # Not someone added who has neither agreed nor opened the page (the second attack run).
    assert told == {other.email} and added.email not in told
    assert f"{editor.name} changed" in _body(kind=Kind.GROUP_EDITED, recipient=other.email)

    check_ins.check_in(
        meetup=group,
        contact=editor,
        answers=check_ins.CheckInAnswers(True, 3, None, True, "New venue from May."),
    )
    record_group_digest(now=timezone.now() + timedelta(days=1))
    digest = Notification.objects.filter(kind=Kind.GROUP_DIGEST).first()
    assert "New venue from May." in digest.body_text
