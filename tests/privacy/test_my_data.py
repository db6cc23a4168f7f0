"""A person with several proposals and groups asks once: /privacy/my-data/ emails a link to
their address; from it they download everything held about them and erase all of it that
may be erased, seeing what cannot be yet and why."""

import json
import re

import pytest
from django.core import mail
from django.test import Client

from accounts.roles import staff_actor
from intake.models import Organizer, State
from meetups import lifecycle, stewardship
from meetups.models import GroupContact
from tests import factories
from tests.privacy.helpers import PRIMARY, approved_group_and_link

pytestmark = pytest.mark.django_db

MY_DATA_LINK = re.compile(r"https?://[^/\s]+(/privacy/my-data/[A-Za-z0-9_:.-]+/)")


def link_for(address) -> str:
    message = [m for m in mail.outbox if address in m.to][-1]
    return MY_DATA_LINK.search(message.body).group(1)


@pytest.fixture
def holdings(django_capture_on_commit_callbacks):
    """Pat: an archived group from a proposal, a listed one, a withdrawn proposal, an
    imported archived group they keep, and a draft."""
    manager = staff_actor(factories.staff_user(role="manager"))
    with django_capture_on_commit_callbacks(execute=True):
        archived, _ = approved_group_and_link(name="Archived Circle")
        lifecycle.run_transition(meetup=archived, name="archive", actor=manager)
        listed, _ = approved_group_and_link(name="Listed Circle")
        factories.proposal_in_state(
            State.WITHDRAWN, name="Withdrawn Idea", organizer_emails=[PRIMARY[1], "x@example.org"]
        )
        imported = factories.meetup(name="Imported Zines")
        stewardship.add_organizer(
            meetup=imported,
            actor=manager,
            name=PRIMARY[0],
            email=PRIMARY[1],
            show_publicly=False,
            invite=False,
        )
        lifecycle.run_transition(meetup=imported, name="archive", actor=manager)
    mail.outbox.clear()
    return archived, listed, imported


def test_one_request_downloads_and_erases_everything_that_may_be(
    holdings, django_capture_on_commit_callbacks
):
    archived, listed, imported = holdings
    client = Client()
    page = client.get("/privacy/my-data/").content.decode()
    assert "Email address" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/privacy/my-data/", {"email": PRIMARY[1].upper()})
    assert "Check your email" in response.content.decode()
    path = link_for(PRIMARY[1])

    page = client.get(path).content.decode()
    for name in ("Archived Circle", "Listed Circle", "Withdrawn Idea", "Imported Zines"):
        assert name in page
    assert "still on the directory" in page  # why the listed one cannot be erased yet

    data = json.loads(client.get(f"{path}data.json").content)
    assert data["address"] == PRIMARY[1]
    names = {p["proposal"]["name"] for p in data["proposals"]}
    assert {"Archived Circle", "Listed Circle", "Withdrawn Idea"} <= names
    assert [g["group"]["group"]["name"] for g in data["groups"]] == ["Imported Zines"]

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(path, {"confirm": "1"}).content.decode()
    assert "Erased" in page
    assert "Listed Circle" in page and "still on the directory" in page
    assert not GroupContact.objects.filter(meetup=imported).exists()
    assert not GroupContact.objects.filter(meetup=archived, email=PRIMARY[1]).exists()
    assert Organizer.objects.filter(proposal=listed.proposal, email=PRIMARY[1]).exists()
    assert not Organizer.objects.filter(email=PRIMARY[1]).exclude(proposal=listed.proposal)


def test_an_unknown_address_gets_the_same_answer_and_no_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post("/privacy/my-data/", {"email": "nobody@example.org"})
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_forged_or_old_link_is_refused_plainly(db):
    response = Client().get("/privacy/my-data/not-a-real-token/")
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_a_bad_address_is_explained_and_kept(db):
    response = Client().post("/privacy/my-data/", {"email": "pat at example"})
    page = response.content.decode()
    assert "Enter an email address like name@example.org." in page
    assert 'value="pat at example"' in page


def test_someone_who_keeps_a_proposals_group_without_being_on_the_proposal_is_found(
    django_capture_on_commit_callbacks,
):
    """Sam keeps the page of a group that came from Pat and Cam's proposal: "Your data"
    lists the group, downloads what is held about its people (not the proposal's own
    words), and erases it by the proposal's rule (once the group is archived)."""
    sam = ("Sam Steward", "sam@example.org")
    manager = staff_actor(factories.staff_user(role="manager"))
    with django_capture_on_commit_callbacks(execute=True):
        group, _ = approved_group_and_link(
            name="Stewarded Circle", description="Privmark purpose of Pat."
        )
        stewardship.add_organizer(
            meetup=group,
            actor=manager,
            name=sam[0],
            email=sam[1],
            show_publicly=False,
            invite=False,
        )
    mail.outbox.clear()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/privacy/my-data/", {"email": sam[1]})
    path = link_for(sam[1])

    page = client.get(path).content.decode()
    assert "Stewarded Circle" in page
    assert "still on the directory" in page

    data = json.loads(client.get(f"{path}data.json").content)
    assert data["proposals"] == []
    (held,) = data["groups"]
    assert held["group"]["group"]["name"] == "Stewarded Circle"
    kept = {p["email"] for p in held["group"]["people_who_keep_the_page"]}
    assert sam[1] in kept
    assert "Privmark" not in json.dumps(data)  # the proposal's own words are its proposers'

    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"confirm": "1"})
    assert GroupContact.objects.filter(meetup=group, email=sam[1]).exists()  # still listed

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.run_transition(meetup=group, name="archive", actor=manager)
        page = client.post(path, {"confirm": "1"}).content.decode()
    assert "Erased" in page
    assert not GroupContact.objects.filter(meetup=group).exists()
    group.proposal.refresh_from_db()
    assert group.proposal.erased_at is not None


def test_over_the_limit_the_page_says_when_to_try_again_as_find_my_links_does(client):
    """The same limits as "find my links": three requests for one address in ten minutes,
    then a 429 saying when, with Retry-After, and the address kept in the form."""
    for _ in range(3):
        assert client.post("/privacy/my-data/", {"email": "pat@example.org"}).status_code == 200
    refused = client.post("/privacy/my-data/", {"email": "pat@example.org"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    page = refused.content.decode()
    assert "please try again after" in page
    assert 'value="pat@example.org"' in page
