"""Organizers keep their group's page through a private link: details published at once
with a diff in the history (a manager can revert), organizers added and removed (never
below the minimum), handover to a named successor, invitations for imported groups, and
"Find my proposal" sending group links. A link opens one group only; no organizer email
appears in a public response."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import staff_actor
from common import transitions
from common.actors import ORGANIZER
from intake import services as intake_services
from intake.models import State
from meetups import access, stewardship
from meetups.models import GroupContact, Handover, Lifecycle, Meetup
from notifications import delivery as notification_services
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^/\s]+(/groups/[A-Za-z0-9_-]+/[a-z-]*/?)")


def _approved_group():
    proposal, _ = factories.proposal_in_state(State.APPROVED)
    return Meetup.objects.get(proposal=proposal)


def _sent_link(notification: Notification) -> str:
    """The path of the first private link in the email as it is sent."""
    message = notification_services.build_email(notification)
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def _page(meetup, contact=None) -> str:
    contact = contact or meetup.contacts.first()
    return f"/groups/{access.issue_group_link(contact=contact)}/"


def test_an_organizer_updates_the_details_and_the_directory_shows_them_at_once(client):
    group = _approved_group()
    page = _page(group)
    assert client.get("/meetups/").content.count(b"Our new description") == 0
    response = client.post(
        page + "details/",
        {
            "description": "Our new description.",
            "url": "https://zines.example.org/",
            "meeting_details": "Second Tuesdays, 6 pm",
        },
    )
    assert response.status_code == 302
    directory = client.get("/meetups/").content.decode()
    assert "Our new description." in directory and "https://zines.example.org/" in directory
    edit = group.history.get(kind="edit")
    assert edit.details["description"][1] == "Our new description."
    assert edit.actor_label.startswith("Organizer ")
    # A program manager reverts it from the group's staff page.
    manager = factories.staff_user(role="manager")
    client.force_login(manager)
    staff = client.get(f"/reviews/groups/{group.slug}/")
    assert "Our new description." in staff.content.decode()
    client.post(f"/reviews/groups/{group.slug}/history/{edit.pk}/revert/")
    group.refresh_from_db()
    assert group.description == edit.details["description"][0]
    assert group.history.last().kind == "revert"


def test_a_bad_web_address_is_explained_and_nothing_typed_is_lost(client):
    group = _approved_group()
    page = _page(group)
    response = client.post(page + "details/", {"description": "Kept text", "url": "not a url"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a full web address" in body and "Kept text" in body
    group.refresh_from_db()
    assert group.description != "Kept text"


def test_organizers_are_added_with_their_own_link_and_never_fall_below_the_minimum(
    client, settings
):
    settings.MIN_ORGANIZERS = 2
    group = _approved_group()
    first, second = group.contacts.all()
    page = _page(group, first)
    response = client.post(page + "organizers/", {"remove": str(second.pk)})
    assert response.status_code == 302
    assert group.contacts.count() == 2  # refused: it would leave one
    assert "at least 2 organizers" in client.get(page + "organizers/").content.decode()

    client.post(
        page + "organizers/",
        {"name": "Jo Newcomer", "email": "Jo@Example.org", "show_publicly": "on"},
    )
    jo = group.contacts.get(email="jo@example.org")
    welcome = Notification.objects.get(kind=Kind.GROUP_WELCOME)
    assert welcome.recipient == "jo@example.org"
    jos_page = _sent_link(welcome)
    assert client.get(jos_page).status_code == 200
    assert "Jo Newcomer" not in group.organizers_line  # named once Jo confirms
    client.post(jos_page + "name/", {"answer": "confirm"})
    assert "Jo Newcomer" in Meetup.objects.get(pk=group.pk).organizers_line

    asked = client.post(page + "organizers/", {"remove": str(jo.pk)})
    assert "Remove Jo Newcomer from" in asked.content.decode()  # asked first
    assert group.contacts.filter(pk=jo.pk).exists()
    client.post(page + "organizers/", {"remove": str(jo.pk), "confirm": "1"})
    assert not group.contacts.filter(pk=jo.pk).exists()
    assert "Jo Newcomer" not in Meetup.objects.get(pk=group.pk).organizers_line
    gone = client.get(jos_page)  # their link no longer opens the page, and says so
    assert gone.status_code == 410 and "no longer an organizer" in gone.content.decode()
    assert "(link not available)" in notification_services.build_email(welcome).body


def test_a_handover_completes_from_the_successors_email(client):
    group = _approved_group()
    outgoing = group.contacts.first()
    page = _page(group, outgoing)
    response = client.post(
        page + "handover/",
        {
            "successor_name": "Sam Successor",
            "successor_email": "sam@example.org",
            "message": "Yours!",
        },
    )
    assert response.status_code == 302
    offer = Notification.objects.get(kind=Kind.GROUP_HANDOVER)
    assert offer.recipient == "sam@example.org"
    accept = _sent_link(offer)
    assert accept.endswith("/accept/")
    # Before accepting, the successor's link opens no group page.
    assert client.get(accept.replace("/accept/", "/")).status_code == 404
    assert "Take over" in client.get(accept).content.decode()
    response = client.post(accept, {"show_name": "yes"})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200  # the same link is now their page
    assert set(group.contacts.values_list("email", flat=True)) == {
        "sam@example.org",
        *set(
            GroupContact.objects.filter(meetup=group)
            .exclude(email="sam@example.org")
            .values_list("email", flat=True)
        ),
    }
    assert not group.contacts.filter(pk=outgoing.pk).exists()
    # The outgoing organizer's link stopped opening the page, and says plainly why.
    gone = client.get(page)
    assert gone.status_code == 410
    assert "You handed" in gone.content.decode() and "Sam Successor" in gone.content.decode()
    assert Handover.objects.get().status == Handover.Status.ACCEPTED
    assert group.history.filter(kind="handover_accepted").exists()
    told = set(
        Notification.objects.filter(kind=Kind.GROUP_HANDED_OVER, audience="organizer").values_list(
            "recipient", flat=True
        )
    )
    assert outgoing.email in told and "sam@example.org" in told
    # Bug 8: the one who handed over is told plainly, to whom and whom to write to.
    theirs = notification_services.build_email(
        Notification.objects.get(kind=Kind.GROUP_HANDED_OVER, recipient=outgoing.email)
    ).body
    assert f"Hello {outgoing.name}," in theirs
    assert "You have handed" in theirs and "over to Sam Successor" in theirs
    assert "(link not available)" not in theirs
    assert "they will pass your message on to Sam Successor" in theirs  # item 7: a way to
    assert (
        client.post(accept, {"show_name": "yes"}).status_code == 302
    )  # accepting twice changes nothing
    assert Handover.objects.get().status == Handover.Status.ACCEPTED


def test_imported_groups_get_organizers_by_invitation(client):
    group = factories.meetup(name="Imported Circle")
    assert not group.contacts.exists()
    manager = factories.staff_user(role="manager")
    client.force_login(manager)
    response = client.post(
        f"/reviews/groups/{group.slug}/people/",
        {"name": "Pat Keeper", "email": "pat@example.org"},
    )
    assert response.status_code == 302
    invitation = Notification.objects.get(kind=Kind.GROUP_INVITATION)
    assert invitation.recipient == "pat@example.org"
    assert "@@group-link" in invitation.body_text  # the outbox never stores a working link
    client.logout()
    path = _sent_link(invitation)
    assert "Imported Circle" in client.get(path).content.decode()
    assert group.contacts.get().claimed_at is not None


def test_a_group_link_opens_no_other_group():
    mine, other = _approved_group(), _approved_group()
    # An email to my organizer naming the other group's page gets no working link.
    note = Notification.objects.create(
        event_key="test",
        kind=Kind.GROUP_INVITATION,
        recipient=mine.contacts.first().email,
        audience="organizer",
        subject="x",
        body_text=f"@@group-link:{other.pk}:manage@@ @@group-link:{mine.pk}:manage@@",
        body_html="",
    )
    body = notification_services.build_email(note).body
    assert body.startswith("(link not available) http")
    token = LINK.search(body).group(1).split("/")[2]
    assert access.link_for_token(token).meetup == mine


def test_find_my_proposal_also_sends_links_to_my_groups(client):
    group = _approved_group()
    email = group.contacts.first().email
    count = intake_services.email_access_links(email=email)
    assert count == 2  # the proposal and the group
    links = Notification.objects.get(kind=Kind.GROUP_LINKS)
    assert links.recipient == email
    assert client.get(_sent_link(links)).status_code == 200


def test_the_check_in_form_confirms_the_group(client):
    group = _approved_group()
    page = _page(group)
    response = client.post(page + "check-in/", {"still_meeting": "yes", "organizers_right": "yes"})
    assert response.status_code == 400
    assert "how many times the group met" in response.content.decode()
    response = client.post(
        page + "check-in/",
        {
            "still_meeting": "yes",
            "meetings_held": "6",
            "last_meeting_on": timezone.localdate().isoformat(),
            "organizers_right": "yes",
        },
    )
    assert response.status_code == 302
    event = Meetup.objects.get(pk=group.pk).history.get()
    assert event.kind == "check_in" and event.details["meetings_held"] == 6


def test_no_organizer_email_appears_in_any_public_response(client):
    group = _approved_group()
    stewardship.add_organizer(
        meetup=group,
        actor=ORGANIZER,
        name="Hidden Person",
        email="hidden@example.org",
        show_publicly=True,
    )
    emails = [*group.contacts.values_list("email", flat=True)]
    for path in ("/meetups/", "/meetups.json", f"/meetups/{group.slug}/"):
        body = client.get(path).content.decode()
        for email in emails:
            assert email not in body, (path, email)
    data = json.loads(client.get("/meetups.json").content)
    assert data["groups"][0]["name"] == group.name


def test_staff_pages_are_for_program_managers_only(client):
    group = factories.meetup(check_in_due_on=timezone.localdate() + timedelta(days=10))
    assert client.get("/reviews/groups/").status_code == 302
    client.force_login(factories.staff_user(role="reviewer"))
    assert client.get("/reviews/groups/").status_code == 403
    assert client.get(f"/reviews/groups/{group.slug}/").status_code == 403
    client.force_login(factories.staff_user(role="manager"))
    assert client.get("/reviews/groups/").status_code == 200
    later = (timezone.localdate() + timedelta(days=100)).isoformat()
    response = client.post(
        f"/reviews/groups/{group.slug}/do/extend/", {"note": "", "due_on": later}
    )
    assert response.status_code == 400  # the note is required
    client.post(
        f"/reviews/groups/{group.slug}/do/extend/", {"note": "Summer break", "due_on": later}
    )
    group.refresh_from_db()
    assert str(group.check_in_due_on) == later and group.lifecycle == Lifecycle.ACTIVE


def test_a_new_group_s_history_starts_with_its_approval(client):
    group = _approved_group()
    html = client.get(_page(group)).content.decode()
    assert "Nothing yet." not in html
    assert (
        "<strong>Approved and listed on the directory</strong> (proposal "
        f"{group.proposal.reference})" in html
    )
    imported = factories.meetup(name="Imported Group")
    client.force_login(factories.staff_user(role="manager"))
    staff = client.get(f"/reviews/groups/{imported.slug}/").content.decode()
    assert "<strong>Added to the directory</strong>" in staff and "Nothing yet." not in staff


def test_the_history_does_not_say_a_state_twice(client):
    from meetups import services as group_services

    group = factories.meetup(name="Zine Makers")
    group_services.archive_meetup(meetup=group, note="No longer meeting.")
    client.force_login(factories.staff_user(role="manager"))
    page = client.get(f"/reviews/groups/{group.slug}/").content.decode()
    assert "<strong>Archived</strong> by" in page
    assert "Archived</strong> (archived)" not in page


def test_going_back_from_the_check_in_confirmation_keeps_the_answers(client):
    group = _approved_group()
    page = _page(group)
    answers = {
        "still_meeting": "no",
        "last_meeting_on": timezone.localdate().isoformat(),
        "organizers_right": "yes",
        "updates": "We stopped in the autumn.",
    }
    confirm = client.post(page + "check-in/", answers).content.decode()
    assert "no longer meeting?" in confirm
    # "Go back" sends the answers back with it, rather than opening an empty form.
    assert re.search(r'<button[^>]*name="back"[^>]*>\s*No, go back to the check-in', confirm)
    response = client.post(page + "check-in/", {**answers, "confirm": "1", "back": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Send the check-in" in html and "We stopped in the autumn." in html
    assert re.search(r'value="no"[^>]*checked|checked[^>]*value="no"', html)
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert "is-invalid" not in html  # going back is no mistake
    group.refresh_from_db()
    assert group.is_listed and not group.history.exists()


def _check_in(client, page, **answers):
    data = {"still_meeting": "yes", "meetings_held": "4", "organizers_right": "yes", **answers}
    return client.post(page + "check-in/", data)


@pytest.mark.parametrize(
    "typed, words",
    [("2999-01-01", "in the future"), ("1900-01-01", "before the group")],
)
def test_the_last_meeting_cannot_be_in_the_future_or_before_the_group_existed(client, typed, words):
    group = _approved_group()
    page = _page(group)
    response = _check_in(client, page, last_meeting_on=typed, updates="Kept text.")
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count(words) == 2  # once in the summary, once at the field
    assert "Kept text." in html and f'value="{typed}"' in html
    assert not Meetup.objects.get(pk=group.pk).history.exists()
    today = timezone.localdate()
    assert _check_in(client, page, last_meeting_on=today.isoformat()).status_code == 302


def test_a_negative_number_of_meetings_shows_one_error_for_the_field(client):
    group = _approved_group()
    response = _check_in(client, _page(group), meetings_held="-3")
    html = response.content.decode()
    assert response.status_code == 400
    assert "how many times the group met" not in html  # it was answered, just wrongly
    assert html.count("Enter a number from 0 to 1000") == 2  # summary and field


def test_every_form_with_a_past_meeting_date_uses_the_same_bounds():
    from meetups import date_bounds
    from meetups.group_forms import CheckInForm

    group = _approved_group()
    form = CheckInForm(meetup=group)
    first, last = date_bounds.past_meeting_window(group)
    attrs = form.fields["last_meeting_on"].widget.attrs
    assert (attrs["min"], attrs["max"]) == (first.isoformat(), last.isoformat())
    assert last == timezone.localdate()


def test_extending_a_check_in_to_an_earlier_date_is_refused(client):
    group = _approved_group()
    due = group.check_in_due_on
    client.force_login(factories.staff_user(role="manager"))
    earlier = due - timedelta(days=30)
    response = client.post(
        f"/reviews/groups/{group.slug}/do/extend/", {"note": "Summer", "due_on": earlier}
    )
    assert response.status_code == 400
    assert "Extending means a later date" in response.content.decode()
    group.refresh_from_db()
    assert group.check_in_due_on == due and not group.history.filter(kind="extend").exists()
    # The same rule holds for any other caller of the lifecycle.
    from meetups import lifecycle

    with pytest.raises(transitions.Refused, match="later date"):
        lifecycle.run_transition(
            meetup=group,
            name="extend",
            actor=staff_actor(factories.staff_user(role="manager")),
            note="Typo",
            due_on=due,
        )


def test_archiving_from_the_staff_group_page_returns_there_saying_what_happened(client):
    group = factories.meetup(name="Map Readers")
    client.force_login(factories.staff_user(role="manager"))
    staff_page = f"/reviews/groups/{group.slug}/"
    archive_link = re.search(
        r'href="([^"]*/archive/[^"]*)"', client.get(staff_page).content.decode()
    )
    confirm = client.get(archive_link.group(1).replace("&amp;", "&")).content.decode()
    assert f'href="{staff_page}"' in confirm  # "Cancel" goes back there too
    assert '<input type="hidden" name="from" value="staff">' in confirm
    response = client.post(
        f"/meetups/{group.slug}/archive/", {"note": "Asked to leave.", "from": "staff"}
    )
    assert response.status_code == 302 and response.url == staff_page
    html = client.get(staff_page).content.decode()
    assert "Map Readers is archived: it no longer appears on the directory." in html
