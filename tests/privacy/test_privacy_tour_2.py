"""Issue 27, the second fresh-eyes tour (priv27c): erasure and the data download, as the
people concerned see them."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.roles import staff_actor
from intake.models import State
from meetups import access, lifecycle
from tests import factories
from tests.privacy.helpers import CO, PRIMARY, approved_group_and_link, link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        group, token = approved_group_and_link(name="Erasure Circle")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.run_transition(
            meetup=group, name="archive", actor=staff_actor(factories.staff_user(role="manager"))
        )
    return group, token


def test_item12_an_erased_groups_old_private_link_says_its_data_was_erased(
    archived, django_capture_on_commit_callbacks
):
    group, token = archived
    group_page = f"/groups/{access.issue_group_link(contact=group.contacts.first())}/"
    assert Client().get(group_page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/proposals/{token}/erase/", {"confirm": "1"})
    response = Client().get(group_page)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This group's data was erased" in page
    assert "<nav" in page  # the site's look, not a bare page


def test_item12_an_imported_groups_erased_link_says_so_too(django_capture_on_commit_callbacks):
    manager = factories.staff_user(role="manager")
    group = factories.meetup(organizers=())
    contact = group.contacts.create(name="Ivy Imported", email="ivy@example.org")
    path = f"/groups/{access.issue_group_link(contact=contact)}/"
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.run_transition(meetup=group, name="archive", actor=staff_actor(manager))
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"{path}erase/", {"confirm": "1"})
    response = Client().get(path)
    assert response.status_code == 410
    assert "This group's data was erased" in response.content.decode()


def _download(token) -> dict:
    return json.loads(Client().get(f"/proposals/{token}/data.json").content)


def test_item13_the_downloaded_emails_hold_no_placeholders(archived):
    _group, token = archived
    emails = _download(token)["emails"]
    assert emails
    bodies = "\n".join(e["body"] for e in emails)
    assert "@@" not in bodies
    assert "(private link, not kept)" in bodies


def test_item13_a_person_who_declined_from_their_own_email_reads_so_with_the_date(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _group, token = approved_group_and_link(name="Consent Circle")
    co_email = [m for m in mail.outbox if CO[1] in m.to][-1]
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"{link_in(co_email)}name/", {"answer": "decline", "confirm": "1"})
    consent = {
        o["name"]: o["name_on_the_directory"] for o in _download(token)["consent"]["organizers"]
    }
    today = timezone.localdate().strftime("%-d %B %Y")
    assert consent[CO[0]] == f"no: declined from their own email on {today}"


def test_item13_a_declined_proposals_consent_no_longer_applies():
    proposal, token = factories.proposal_in_state(State.DECLINED)
    consent = _download(token)["consent"]["organizers"]
    words = [o["name_on_the_directory"] for o in consent]
    assert words and not any(w.startswith("yes") for w in words)
    assert any("no longer applies" in w for w in words), words


def test_item13_the_erase_page_reads_as_sentences_and_says_co_organizers_are_emailed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _group, token = approved_group_and_link(name="Still Listed")
    page = Client().get(f"/proposals/{token}/erase/").content.decode()
    assert "Not yet: Your" not in page
    assert "your group is still on the directory" in page.lower()
    assert "co-organizers too" in page


def test_item16_the_privacy_notice_says_imported_names_were_not_asked_and_what_introductions_keep():
    page = Client().get("/privacy/").content.decode().replace("&quot;", '"')
    assert "those people were not asked first" in page
    assert "To have your name taken off the directory" in page
    assert '"Pass my details to staff"' in page
    assert "erased with that proposal's personal data" in page


def _co_organizer_page(django_capture_on_commit_callbacks, name="Consent Circle"):
    with django_capture_on_commit_callbacks(execute=True):
        group, _token = approved_group_and_link(name=name)
    return group, link_in([m for m in mail.outbox if CO[1] in m.to][-1])


def test_item11_no_remove_me_asks_first_saying_what_it_does(django_capture_on_commit_callbacks):
    group, path = _co_organizer_page(django_capture_on_commit_callbacks)
    response = Client().post(f"{path}name/", {"answer": "decline"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Remove you from Consent Circle?" in page
    assert 'name="confirm" value="1"' in page
    assert group.contacts.filter(email=CO[1]).exists()  # nothing done yet


def test_item11_leaving_tells_the_other_organizers_and_the_history_says_who_left(
    django_capture_on_commit_callbacks,
):
    group, path = _co_organizer_page(django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"{path}name/", {"answer": "decline", "confirm": "1"})
    assert not group.contacts.filter(email=CO[1]).exists()
    told = [m for m in mail.outbox if PRIMARY[1] in m.to]
    assert told, [m.to for m in mail.outbox]
    assert f"{CO[0]} said no to being named" in told[0].body
    primary = group.contacts.get(email=PRIMARY[1])
    page = Client().get(f"/groups/{access.issue_group_link(contact=primary)}/").content.decode()
    assert f"{CO[0]} left the group (declined to be named)" in page


def test_item11_a_name_ending_in_s_takes_an_apostrophe_alone(django_capture_on_commit_callbacks):
    _group, path = _co_organizer_page(django_capture_on_commit_callbacks, name="Practitioners")
    response = Client().post(f"{path}name/", {"answer": "decline", "confirm": "1"})
    page = response.content.decode().replace("&#x27;", "'")
    assert "Practitioners' page" in page
    assert "Practitioners's" not in page


def _erase(token, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/proposals/{token}/erase/", {"confirm": "1"})
    assert "Your data is erased" in response.content.decode()


def _manager():
    client = Client()
    client.force_login(factories.staff_user(role="manager"))
    return client


def test_item2_erasure_blanks_the_proposals_name_in_the_queue_and_its_search(
    archived, django_capture_on_commit_callbacks
):
    group, token = archived
    reference = group.proposal.reference
    _erase(token, django_capture_on_commit_callbacks)
    client = _manager()
    queue = client.get("/reviews/?view=ended").content.decode()
    assert reference in queue and "Erasure Circle" not in queue
    found = client.get("/reviews/?q=Erasure+Circle&view=ended").content.decode()
    assert reference not in found
    archived_page = client.get("/reviews/archived-groups/").content.decode()
    assert "Erasure Circle" not in archived_page


def test_item2_other_proposals_records_of_what_was_shown_lose_the_erased_name(
    django_capture_on_commit_callbacks,
):
    about = "We make zines and talk about zine collections."
    with django_capture_on_commit_callbacks(execute=True):
        group, token = approved_group_and_link(name="Zine Makers Club", description=about)
    other, _ = factories.proposal_in_state(State.SUBMITTED, name="Zine makers", description=about)
    manager = factories.staff_user(role="manager")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.run_transition(meetup=group, name="archive", actor=staff_actor(manager))
    _erase(token, django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(manager)
    page = client.get(f"/reviews/{other.reference}/").content.decode()
    assert "Zine Makers Club" not in page
    assert "an erased proposal" in page


def test_item2_the_erased_proposals_page_says_so_and_offers_no_dead_controls(
    archived, django_capture_on_commit_callbacks
):
    group, token = archived
    reference = group.proposal.reference
    _erase(token, django_capture_on_commit_callbacks)
    page = _manager().get(f"/reviews/{reference}/").content.decode()
    assert "Not recorded: this proposal was submitted before" not in page
    assert "Personal data erased on" in page
    assert "See its public page" not in page
    assert "Edit the group" not in page
    assert 'name="visibility"' not in page  # no comment form with nobody to share it with


def test_item2_the_archived_groups_staff_pages_say_its_organizers_data_was_erased(
    archived, django_capture_on_commit_callbacks
):
    group, token = archived
    _erase(token, django_capture_on_commit_callbacks)
    client = _manager()
    page = client.get(f"/reviews/groups/{group.slug}/").content.decode()
    assert "Organizers&#x27; data erased" in page or "Organizers' data erased" in page
    assert "Nobody yet (an imported group)" not in page
    every = client.get("/reviews/all-groups/?state=archived").content.decode()
    due = group.check_in_due_on.strftime("%Y-%m-%d")
    assert f'datetime="{due}"' not in every


def test_item8_the_answers_say_each_organizers_choice_about_being_named(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        group, token = approved_group_and_link(name="Consent Circle")
    page = _manager().get(f"/reviews/{group.proposal.reference}/").content.decode()
    assert f"{PRIMARY[0]} (primary contact)" in page
    assert "name on the public directory: yes</li>" in page
    assert "name on the public directory: yes, once they agree from their own email" in page
    status = Client().get(f"/proposals/{token}/").content.decode()
    assert "name on the public directory: yes" in status


def test_item8_the_groups_private_page_says_who_is_named_asked_or_said_no(
    django_capture_on_commit_callbacks,
):
    group, co_path = _co_organizer_page(django_capture_on_commit_callbacks)
    primary = group.contacts.get(email=PRIMARY[1])
    path = f"/groups/{access.issue_group_link(contact=primary)}/"
    page = Client().get(path).content.decode()
    assert f"{PRIMARY[0]} (you): named on the directory" in page
    assert f"{CO[0]}: asked to be named on the directory, waiting for them" in page
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"{co_path}name/", {"answer": "decline", "confirm": "1"})
    page = Client().get(path).content.decode()
    today = timezone.localdate().strftime("%-d %B %Y")
    assert f"{CO[0]}: said no to being named on {today}" in page


def test_item2_a_comment_posted_to_an_erased_proposal_anyway_is_refused_plainly(
    archived, django_capture_on_commit_callbacks
):
    group, token = archived
    reference = group.proposal.reference
    _erase(token, django_capture_on_commit_callbacks)
    response = _manager().post(
        f"/reviews/{reference}/comment/", {"body": "Hello?", "visibility": "shared"}
    )
    assert "was erased: there is nobody left to comment to" in response.content.decode()
    assert not group.proposal.comments.exists()
