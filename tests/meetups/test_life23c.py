"""Issue 23, seen with fresh eyes: a group's journey from approval to its fifth year."""

import re

import pytest

from accounts.roles import Actor, staff_actor
from common.actors import SYSTEM
from intake import services as intake_services
from intake.models import State
from meetups import access
from meetups.models import Meetup
from notifications import delivery
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+(/groups/[A-Za-z0-9_-]+/[a-z-]*/?)")


def _approved_group(*, primary_shown=True):
    proposal, _ = factories.draft()
    if not primary_shown:
        proposal.organizers.update(listed_publicly=False)
    manager = factories.staff_user(role="manager")
    for name in factories.PATHS[State.APPROVED]:
        actor = (
            Actor.organizer_link()
            if name in ("submit", "resubmit", "withdraw")
            else Actor.automatic()
            if name == "complete_review"
            else staff_actor(manager)
        )
        proposal = intake_services.run_transition(proposal=proposal, name=name, actor=actor)
    return Meetup.objects.get(proposal=proposal)


def _page(contact) -> str:
    return f"/groups/{access.issue_group_link(contact=contact)}/"


def _body(kind, recipient=None) -> str:
    rows = Notification.objects.filter(kind=kind)
    if recipient:
        rows = rows.filter(recipient=recipient)
    return delivery.build_email(rows.latest("pk")).body


def _offer_handover(client, group, outgoing) -> str:
    client.post(
        _page(outgoing) + "handover/",
        {"successor_name": "Sam Successor", "successor_email": "sam@example.org"},
    )
    offer = Notification.objects.get(kind=Kind.GROUP_HANDOVER)
    return LINK.search(delivery.build_email(offer).body).group(1)


def _directory_names(group) -> str:
    return Meetup.objects.get(pk=group.pk).organizers_line


# 1. A successor is named on the directory only if they agree.


@pytest.mark.parametrize("agrees", [True, False])
def test_a_successor_is_asked_before_being_named_on_the_directory(client, agrees):
    group = _approved_group()
    outgoing = group.contacts.first()
    assert outgoing.name in _directory_names(group)
    accept = _offer_handover(client, group, outgoing)
    offer_email = _body(Kind.GROUP_HANDOVER)
    assert "only if you agree" in offer_email
    form = client.get(accept).content.decode()
    assert "May we show your name on the directory?" in form
    # Accepting without answering the question changes nothing and says why.
    refused = client.post(accept)
    assert refused.status_code == 400
    assert "Choose whether we may show your name" in refused.content.decode()
    assert not group.contacts.filter(email="sam@example.org").exists()
    client.post(accept, {"show_name": "yes" if agrees else "no"})
    assert group.contacts.filter(email="sam@example.org").exists()
    names = _directory_names(group)
    assert ("Sam Successor" in names) is agrees
    assert outgoing.name not in names  # they left: never shown again


def test_an_organizer_who_did_not_tick_show_my_name_is_never_shown(client):
    group = _approved_group(primary_shown=False)
    primary = group.contacts.order_by("position").first()
    assert primary.name not in _directory_names(group)
    client.get(f"/meetups/{group.slug}/")
    assert primary.name.encode() not in client.get("/meetups/").content
    accept = _offer_handover(client, group, primary)
    client.post(accept, {"show_name": "yes"})
    names = _directory_names(group)
    assert primary.name not in names and "Sam Successor" in names


# 2. The last meeting asked at a check-in is not before the group's previous confirmation.


def _check_in(client, page, **answers):
    data = {"still_meeting": "yes", "meetings_held": "4", "organizers_right": "yes", **answers}
    return client.post(page + "check-in/", data)


def test_the_last_meeting_cannot_be_before_the_group_was_listed(client):
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.formats import date_format

    group = _approved_group()
    listed = timezone.localdate(group.created_at)
    Meetup.objects.filter(pk=group.pk).update(
        created_at=group.created_at - timedelta(days=40),
        last_confirmed_at=group.created_at - timedelta(days=40),
        check_in_due_on=listed,
    )
    group.refresh_from_db()
    listed = timezone.localdate(group.created_at)
    page = _page(group.contacts.first())
    response = _check_in(client, page, last_meeting_on="2019-05-01", updates="Kept text.")
    html = response.content.decode()
    assert response.status_code == 400
    assert "before the group was last confirmed as meeting" in html and date_format(listed) in html
    assert "Kept text." in html
    earlier = (listed - timedelta(days=1)).isoformat()
    assert _check_in(client, page, last_meeting_on=earlier).status_code == 400
    assert _check_in(client, page, last_meeting_on=listed.isoformat()).status_code == 302


def test_an_imported_group_without_a_confirmation_keeps_the_fixed_floor():
    from datetime import date

    from meetups import date_bounds

    group = factories.meetup()
    assert date_bounds.past_meeting_window(group)[0] == date_bounds.PROGRAM_BEGAN
    assert date_bounds.past_meeting_problem(date(2019, 5, 1), meetup=group) == ""


# 4. A check-in is answered once; answering early does not shorten the year.


def test_a_check_in_answered_early_is_done_keeps_its_year_and_is_not_sent_twice(client):
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.formats import date_format

    from meetups import lifecycle
    from meetups.models import Lifecycle, add_months

    group = _approved_group()
    due = timezone.localdate() + timedelta(days=30)
    Meetup.objects.filter(pk=group.pk).update(check_in_due_on=due)
    lifecycle.run_transition(meetup=group, name="open_check_in", actor=SYSTEM)
    page = _page(group.contacts.first())
    assert _check_in(client, page).status_code == 302
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ACTIVE
    next_due = add_months(due, 12)  # from the due date, not from today
    assert group.check_in_due_on == next_due
    sent = Notification.objects.filter(kind=Kind.GROUP_ACTIVE).count()
    assert sent
    done = client.get(page + "check-in/").content.decode()
    assert "This year's check-in is done" in done and date_format(next_due) in done
    assert "Send the check-in" not in done
    again = _check_in(client, page)
    assert again.status_code == 200 and "This year's check-in is done" in again.content.decode()
    group.refresh_from_db()
    assert group.check_in_due_on == next_due
    assert Notification.objects.filter(kind=Kind.GROUP_ACTIVE).count() == sent
    assert group.history.filter(kind="check_in").count() == 1
    # The next check-in opens the form again.
    Meetup.objects.filter(pk=group.pk).update(check_in_due_on=timezone.localdate())
    lifecycle.run_transition(meetup=group, name="open_check_in", actor=SYSTEM)
    assert "Send the check-in" in client.get(page + "check-in/").content.decode()


# 10. A reminder is recorded (and counted) only when someone was emailed.


def test_no_reminder_is_recorded_or_counted_for_a_group_with_nobody_to_email():
    from datetime import timedelta

    from django.utils import timezone

    from meetups import nightly
    from meetups.models import GroupContact, Lifecycle

    today = timezone.localdate()
    long_ago = timezone.now() - timedelta(days=10)
    nobody = factories.meetup()
    someone = factories.meetup()
    GroupContact.objects.create(meetup=someone, name="Kim Keeper", email="kim@example.org")
    Meetup.objects.filter(pk__in=[nobody.pk, someone.pk]).update(
        lifecycle=Lifecycle.CHECK_IN_DUE, check_in_due_on=today, state_since=long_ago
    )
    report = nightly.run_pass()
    assert report.reminded == [someone.pk]
    assert not nobody.history.filter(kind="reminder").exists()
    assert someone.history.filter(kind="reminder").exists()
    assert Notification.objects.filter(kind=Kind.GROUP_REMINDER).count() == 1


# 13. The Extend form's help text states the real rule.


def test_the_extend_form_states_the_real_rule():
    from datetime import timedelta

    from django.utils.formats import date_format

    from meetups.group_forms import ExtendForm
    from meetups.models import add_months

    group = _approved_group()
    help_text = str(ExtendForm(meetup=group).fields["due_on"].help_text)
    first = group.check_in_due_on + timedelta(days=1)
    last = add_months(first, 12)  # a period beyond the earliest date (sec22d: never empty)
    assert "From today" not in help_text
    assert date_format(first) in help_text and date_format(last) in help_text


# 6 and 8. Emails name who did it, and say "You" to the one who did.


def test_the_successor_reads_you_have_taken_over(client):
    group = _approved_group()
    outgoing = group.contacts.first()
    client.post(_offer_handover(client, group, outgoing), {"show_name": "yes"})
    theirs = _body(Kind.GROUP_HANDED_OVER, "sam@example.org")
    assert "You have taken over from" in theirs
    assert "Sam Successor has taken over" not in theirs
    other = group.contacts.exclude(email="sam@example.org").first()
    assert "Sam Successor has taken over" in _body(Kind.GROUP_HANDED_OVER, other.email)


def test_the_remover_reads_you_removed_and_the_welcome_says_by_whom(client, settings):
    settings.MIN_ORGANIZERS = 1
    group = _approved_group()
    first, second = group.contacts.order_by("position")
    page = _page(first)
    client.post(page + "organizers/", {"name": "Dana Deputy", "email": "dana@example.org"})
    welcome = _body(Kind.GROUP_WELCOME, "dana@example.org")
    assert f"{first.name} added you as an organizer of" in welcome
    dana = group.contacts.get(email="dana@example.org")
    client.post(page + "organizers/", {"remove": str(dana.pk), "confirm": "1", "note": "Oops"})
    mine = _body(Kind.GROUP_ORGANIZER_REMOVED, first.email)
    assert "You removed Dana Deputy" in mine and f"{first.name} removed" not in mine
    assert f"{first.name} removed Dana Deputy" in _body(Kind.GROUP_ORGANIZER_REMOVED, second.email)


def test_the_active_and_archived_emails_say_who_answered_the_check_in(client):
    group = _approved_group()
    first, second = group.contacts.order_by("position")
    page = _page(first)
    _check_in(client, page, updates="All well.")
    assert f"{first.name} checked in for" in _body(Kind.GROUP_ACTIVE, second.email)
    assert "You checked in for" in _body(Kind.GROUP_ACTIVE, first.email)
    assert "Your note: All well." in _body(Kind.GROUP_ACTIVE, first.email)
    other = _approved_group()
    a, b = other.contacts.order_by("position")
    client.post(
        _page(a) + "check-in/",
        {"still_meeting": "no", "organizers_right": "yes", "confirm": "1", "updates": "Done."},
    )
    archived = _body(Kind.GROUP_ARCHIVED, b.email)
    assert f"{a.name} answered" in archived and "no longer meeting" in archived
    assert "Note from " + a.name + ": Done." in archived


def test_the_resubmitted_email_does_not_alarm_whoever_resubmitted():
    proposal, _ = factories.proposal_in_state(State.CHANGES_REQUESTED)
    manager_actor = Actor.organizer_link()
    intake_services.run_transition(proposal=proposal, name="resubmit", actor=manager_actor)
    body = _body(Kind.RESUBMITTED)
    assert "If you or someone in your group did this, there is nothing more to do" in body


# 15. Restoring an archived group tells its organizers it is back, and when to check in.


def test_restoring_an_archived_group_emails_its_organizers(client):
    from django.utils.formats import date_format

    group = _approved_group()
    manager = factories.staff_user(role="manager")
    client.force_login(manager)
    from meetups import lifecycle

    lifecycle.run_transition(
        meetup=group, name="archive", actor=staff_actor(manager), note="Asked."
    )
    group.refresh_from_db()
    assert group.lifecycle == "archived"
    client.post(f"/reviews/archived-groups/{group.slug}/restore/", {"note": ""})
    group.refresh_from_db()
    assert group.lifecycle == "active"
    organizer = group.contacts.first()
    back = _body(Kind.GROUP_ACTIVE, organizer.email)
    assert "is back on the" in back
    assert date_format(group.check_in_due_on) in back
    row = Notification.objects.filter(kind=Kind.GROUP_ACTIVE, recipient=organizer.email).last()
    assert row.subject.endswith(f"{group.name} is back on the directory")


# 9. An archived group's private page is read-only, with what can still be done.


def test_an_archived_groups_page_is_read_only(client):
    from meetups import lifecycle

    group = _approved_group()
    page = _page(group.contacts.first())
    manager = factories.staff_user(role="manager")
    lifecycle.run_transition(
        meetup=group, name="archive", actor=staff_actor(manager), note="Asked."
    )
    html = client.get(page).content.decode()
    for action in ("Update the group", "Add or remove organizers", "Hand over to a successor"):
        assert action not in html
    assert "read-only" in html and "Download your data" in html
    assert "Ask program staff to list it again" in html
    for path in ("details/", "organizers/", "handover/", "meetings/"):
        refused = client.post(
            page + path, {"description": "Changed", "name": "X", "email": "x@example.org"}
        )
        assert refused.status_code == 302, path
    group.refresh_from_db()
    assert (
        group.description != "Changed" and not group.contacts.filter(email="x@example.org").exists()
    )


# 11. The changes-requested email and page give the withdrawal date; approval, the check-in.


def test_the_withdrawal_and_first_check_in_dates_are_given(client):
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    proposal, token = factories.proposal_in_state(State.CHANGES_REQUESTED)
    withdraw_on = timezone.localdate() + timedelta(days=settings.STALE_WITHDRAW_DAYS)
    said = withdraw_on.strftime("%A %-d %B %Y")
    assert said in _body(Kind.CHANGES_REQUESTED)
    assert "withdrawn automatically" in _body(Kind.CHANGES_REQUESTED)
    page = client.get(f"/proposals/{token}/").content.decode()
    assert said in page and "withdrawn automatically" in page
    group = _approved_group()
    approved = _body(Kind.APPROVED, group.contacts.first().email)
    assert "first check-in is due on " + group.check_in_due_on.strftime("%A %-d %B %Y") in approved


# 14. Cosmetics: "(was empty)" / "(new)", staff endings, history labels said once.


def test_changed_details_staff_endings_and_history_labels_read_well(client):
    from meetups import lifecycle

    group = _approved_group()
    Meetup.objects.filter(pk=group.pk).update(url="")
    first, second = group.contacts.order_by("position")
    page = _page(first)
    client.post(
        page + "details/",
        {"description": group.description, "url": "https://zines.example.org/"},
    )
    edited = _body(Kind.GROUP_EDITED, second.email)
    assert 'Web address: "https://zines.example.org/" (new)' in edited
    assert '(was "")' not in edited
    client.post(page + "organizers/", {"name": "Olivia Added", "email": "olivia@example.org"})
    manager = factories.staff_user(role="manager")
    lifecycle.run_transition(
        meetup=group, name="archive", actor=staff_actor(manager), note="Asked."
    )
    to_staff = _body(Kind.GROUP_ARCHIVED, manager.email)
    assert "To reach program staff" not in to_staff
    to_organizer = _body(Kind.GROUP_ARCHIVED, first.email)
    assert "To reach program staff" in to_organizer
    lifecycle.record(
        meetup=group, kind="lapse", actor=SYSTEM, from_state="active", to_state="lapsed"
    )
    client.force_login(manager)
    history = client.get(f"/reviews/groups/{group.slug}/").content.decode()
    assert f"Organizer added</strong> by {first.name}," in history
    assert f"by Organizer {first.name}" not in history
    assert "Archived</strong> (archived)" not in history
    assert "Marked not confirmed recently</strong> by" in history


# 5. Saying no to being named: every page and email says the same, before the choice.

SAYS_NO = "If you say no, you are taken off the group's organizers"


def test_every_page_and_email_says_what_saying_no_does_the_same_way(client):
    group = _approved_group()
    first = group.contacts.order_by("position").first()
    page = _page(first)
    form = client.get(page + "organizers/").content.decode()
    assert "Ask them whether we may show their name" in form
    assert "they are taken off the" in form
    client.post(
        page + "organizers/",
        {"name": "Jo Newcomer", "email": "jo@example.org", "show_publicly": "on"},
    )
    welcome = _body(Kind.GROUP_WELCOME, "jo@example.org")
    assert SAYS_NO in welcome and "no takes you off" not in welcome
    jo = group.contacts.get(email="jo@example.org")
    home = client.get(_page(jo)).content.decode().replace("&#x27;", "'")
    assert SAYS_NO in home and "No, take me off the group's organizers" in home
    client.force_login(factories.staff_user(role="manager"))
    staff = client.get(f"/reviews/groups/{group.slug}/").content.decode()
    assert "<p>Never shown publicly." not in staff


# 7. People told to write to someone are given a way to.


def test_whoever_is_told_to_write_to_someone_is_given_a_way(client, settings):
    settings.MIN_ORGANIZERS = 1
    group = _approved_group()
    first, second = group.contacts.order_by("position")
    client.post(
        _page(first) + "organizers/", {"remove": str(second.pk), "confirm": "1", "note": "Bye"}
    )
    removed = _body(Kind.GROUP_ORGANIZER_REMOVED, second.email)
    assert "write to the group's other organizers" not in removed
    assert "they will pass your message on to the group's other organizers" in removed
    assert f"/meetups/{group.slug}/write/" in removed
    page = _page(first)
    client.post(_offer_handover(client, group, first), {"show_name": "yes"})
    handed = _body(Kind.GROUP_HANDED_OVER, first.email)
    assert "write to Sam Successor" not in handed
    assert "they will pass your message on to Sam Successor" in handed
    ended = client.get(page).content.decode()
    assert "write to Sam Successor" not in ended and "pass your message on" in ended
