"""The public directory, group pages, the JSON feed, approval listing a group, caching and
conditional requests (program managers' edits: test_directory_management.py)."""

import gzip
import json

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import staff_actor
from common import transitions
from intake import services as intake_services
from intake.models import State
from meetups import services
from meetups.models import DirectoryVersion, Meetup
from tests import factories

pytestmark = pytest.mark.django_db

DIRECTORY = "/meetups/"
FEED = "/meetups.json"


def approve(proposal):
    manager = factories.staff_user(role="manager")
    return intake_services.run_transition(
        proposal=proposal, name="approve", actor=staff_actor(manager)
    )


def test_approval_lists_exactly_one_group_with_consenting_organizers(client):
    proposal, _token = factories.proposal_in_state(
        State.REVIEWED,
        name="Zine  Librarians",
        description="Purpose and scope, for staff only.",
        summary="We make zines.   \n\n\n\nAnd read them.",
        existing_url="https://www.meetup.com/zines/",
    )
    first, second = proposal.organizers.all()[:2]
    hidden = proposal.organizers.create(
        position=5,
        name="Hidden Person",
        email="hidden@example.org",
        institution="X",
        listed_publicly=False,
    )
    approve(proposal)

    group = Meetup.objects.get()
    assert group.proposal_id == proposal.pk and group.is_listed
    assert (group.name, group.slug, group.url) == (
        "Zine Librarians",
        "zine-librarians",
        "https://www.meetup.com/zines/",
    )
    assert group.description == "We make zines.\n\nAnd read them."
    # The primary contact at once; the co-organizer once they confirm (tests/privacy).
    assert [(o.name, o.role_label) for o in group.organizers.all()] == [(first.name, "Organizer")]
    assert group.contacts.get(email=second.email).name_pending
    page = client.get(DIRECTORY).content.decode()
    assert "Zine Librarians" in page
    assert "Purpose and scope" not in page
    assert second.name not in page
    assert hidden.name not in page

    # Another attempt creates nothing: not through the state machine, not by the service.
    with pytest.raises(transitions.NotAvailable):
        approve(proposal)
    assert services.list_approved_proposal(proposal=proposal) == group
    assert Meetup.objects.count() == 1


def test_one_listed_person_is_the_organizer_and_slugs_stay_unique():
    archived = factories.meetup(name="Zine Librarians", slug="zine-librarians")
    services.archive_meetup(meetup=archived)
    proposal, _token = factories.proposal_in_state(State.REVIEWED, name="Zine Librarians")
    proposal.organizers.exclude(position=0).update(listed_publicly=False)
    approve(proposal)
    group = Meetup.objects.get(proposal=proposal)
    assert group.slug == "zine-librarians-2"
    assert group.organizers_line.endswith(", Organizer")
    assert group.organizers.count() == 1


def test_a_failed_approval_lists_nothing():
    factories.meetup(name="Zine Librarians")
    proposal, _token = factories.proposal_in_state(State.REVIEWED, name="zine librarians")
    with pytest.raises(transitions.NotAvailable):
        approve(proposal)
    assert not Meetup.objects.filter(proposal=proposal).exists()


def test_directory_shows_groups_in_page_order_with_intro_and_propose_link(client):
    page = services.directory_page()
    page.intro = "Welcome. [Read the rules](https://rules.example/) <b>now</b>."
    page.save()
    second = factories.meetup(name="Second Group", position=2)
    first = factories.meetup(
        name="First Group",
        position=1,
        url="https://first.example/",
        description="Para one.\n\nPara <two>.",
        organizers=[("Ann Roe", "Organizer")],
    )
    response = client.get(DIRECTORY)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("First Group") < html.index("Second Group")
    assert '<a href="https://rules.example/">Read the rules</a> &lt;b&gt;now&lt;/b&gt;' in html
    assert '<a href="https://first.example/">https://first.example/</a>' in html
    assert "Ann Roe, Organizer" in html
    assert "Ada Lovelace and Grace Hopper, Co-organizers" in html
    assert "<p>Para one.</p>\n<p>Para &lt;two&gt;.</p>" in html
    assert f'href="{reverse("intake:propose")}"' in html
    assert (
        f'href="{first.get_absolute_url()}"' in html
        and f'href="{second.get_absolute_url()}"' in html
    )

    detail = client.get(first.get_absolute_url())
    assert detail.status_code == 200
    assert "Ann Roe, Organizer" in detail.content.decode()


def test_json_has_the_same_data():
    group = factories.meetup(
        name="Zines", url="https://z.example/", organizers=[("Ann Roe", "Convener")]
    )
    from django.test import Client

    data = json.loads(Client().get(FEED).content)
    assert data["intro"] == services.directory_page().intro
    (entry,) = data["groups"]
    assert entry["name"] == "Zines" and entry["slug"] == group.slug
    assert entry["url"] == "https://z.example/"
    assert entry["organizers"] == [{"name": "Ann Roe", "role": "Convener"}]
    assert entry["organizers_line"] == "Ann Roe, Convener"
    assert entry["description"] == group.description
    assert entry["page"].endswith(group.get_absolute_url())


def test_archived_groups_leave_every_public_view(client):
    kept = factories.meetup(name="Kept Group")
    gone = factories.meetup(name="Gone Group")
    client.get(DIRECTORY), client.get(FEED)  # fill the caches first
    services.archive_meetup(meetup=gone)
    # The home page lists meetings, not groups (issue 25): tests/meetups/test_meetings.py.
    for url in (DIRECTORY, FEED):
        body = client.get(url).content.decode()
        assert "Kept Group" in body and "Gone Group" not in body, url
    assert client.get(gone.get_absolute_url()).status_code == 404
    assert client.get(kept.get_absolute_url()).status_code == 200
    assert "Gone Group" not in services.export_listing()


def test_no_organizer_email_in_any_public_response(client, tmp_path):
    proposal, _token = factories.proposal_in_state(
        State.REVIEWED, organizer_emails=["ann.private@example.org", "bo.private@example.org"]
    )
    approve(proposal)
    group = Meetup.objects.get(proposal=proposal)
    for url in (DIRECTORY, FEED, group.get_absolute_url(), "/", "/propose/"):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        # The home page lists the coming meetings, not group names (issue 25).
        assert group.name in body or url == "/", url
        assert "private@example.org" not in body, url
    assert "private@example.org" not in services.export_listing()


def _queries(client, url) -> int:
    from django.core.cache import caches

    caches["pages"].clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_directory_query_count_does_not_grow_with_the_number_of_groups(client):
    for _ in range(3):
        factories.meetup()
    few = {url: _queries(client, url) for url in (DIRECTORY, FEED)}
    for _ in range(27):
        factories.meetup(
            organizers=[("A", "Co-organizer"), ("B", "Co-organizer"), ("C", "Co-organizer")]
        )
    assert Meetup.objects.listed().count() == 30
    many = {url: _queries(client, url) for url in (DIRECTORY, FEED)}
    assert many == few
    # The version, the intro, the groups with their organizers and topics, the meetings
    # with their changed dates, and the topics for the filter form.
    assert few[DIRECTORY] <= 8

    # Once rendered, the directory costs a visitor no query at all while this process's
    # knowledge of its version is fresh, and one small query (the version) after that.
    client.get(DIRECTORY)
    with CaptureQueriesContext(connection) as context:
        html = client.get(DIRECTORY).content.decode()
    assert len(context.captured_queries) == 0
    assert html.count('class="meetup prose"') == 30
    with override_settings(DIRECTORY_RECHECK_SECONDS=0):
        with CaptureQueriesContext(connection) as context:
            assert client.get(DIRECTORY).content.decode() == html
        assert len(context.captured_queries) == 1


def test_a_change_made_by_another_process_shows_within_the_recheck_interval(
    client, monotonic_clock
):
    group = factories.meetup(name="Zines")
    assert "Zines" in client.get(DIRECTORY).content.decode()
    # What another web process's save does to the database; this process was not told.
    Meetup.objects.filter(pk=group.pk).update(name="Zine Makers")
    DirectoryVersion.objects.update(version=F("version") + 1, changed_at=timezone.now())
    with override_settings(DIRECTORY_RECHECK_SECONDS=60):
        # Within the interval this process still serves what it last saw...
        assert "Zines" in client.get(DIRECTORY).content.decode()
        # ...and once it has passed, the change.
        monotonic_clock.advance(61)
        assert "Zine Makers" in client.get(DIRECTORY).content.decode()
        assert "Zine Makers" in client.get(FEED).content.decode()


@pytest.mark.parametrize("url", [DIRECTORY, FEED])
def test_large_pages_are_sent_compressed_to_clients_that_accept_it(client, url):
    for n in range(20):
        factories.meetup(name=f"Group {n} & <Friends>")
    plain = client.get(url)
    compressed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content
    assert len(compressed.content) < len(plain.content) / 3
    for response in (plain, compressed):
        assert "Accept-Encoding" in response["Vary"]
    if url == FEED:  # the JSON is escaped before it is stored compressed
        assert b"<Friends>" not in plain.content and "\\u003cFriends\\u003e" in plain.text
        assert json.loads(plain.content)["groups"][0]["name"] == "Group 0 & <Friends>"
    # One weak tag for both copies (the same page in two encodings); it gets a 304 either way.
    assert compressed["ETag"] == plain["ETag"] and plain["ETag"].startswith('W/"')
    for etag in (plain["ETag"], plain["ETag"].removeprefix("W/")):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        not_modified = client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
        assert not_modified.status_code == 304


def test_the_page_shared_by_visitors_never_carries_a_signed_in_persons_parts(client):
    factories.meetup(name="Zines")
    visitor = client.get(DIRECTORY).content.decode()
    assert "program manager" not in visitor and "Sign out" not in visitor
    client.force_login(factories.staff_user(role="manager"))
    manager = client.get(DIRECTORY).content.decode()
    assert "You are a program manager" in manager and "Sign out" in manager
    client.logout()
    again = client.get(DIRECTORY).content.decode()
    assert "program manager" not in again and "Sign out" not in again


def test_a_visitor_with_a_message_waiting_sees_it_on_the_directory(client, rf):
    factories.meetup(name="Zines")
    client.get(DIRECTORY)  # the shared page is rendered and kept
    request = rf.get("/")
    storage = CookieStorage(request)
    cookie = storage._encode([Message(constants.SUCCESS, "Your proposal is withdrawn.")])
    client.cookies[storage.cookie_name] = cookie
    body = client.get(DIRECTORY).content.decode()
    assert "Your proposal is withdrawn." in body and "Zines" in body
    # Shown once: the next page is the shared one again.
    assert "Your proposal is withdrawn." not in client.get(DIRECTORY).content.decode()


def test_conditional_requests_get_304_until_something_changes(client):
    group = factories.meetup(name="Zines")
    for url in (DIRECTORY, FEED):
        first = client.get(url)
        etag, modified = first["ETag"], first["Last-Modified"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        not_modified = client.get(url, headers={"If-Modified-Since": modified})
        assert not_modified.status_code == 304 and not_modified.content == b""
        assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200

    etag = client.get(DIRECTORY)["ETag"]
    group.name = "Zines Renamed"
    group.save()
    response = client.get(DIRECTORY, headers={"If-None-Match": etag})
    assert response.status_code == 200 and "Zines Renamed" in response.content.decode()


def test_cached_directory_follows_every_kind_of_change(client):
    group = factories.meetup(name="Zines", organizers=[("Ann Roe", "Organizer")])
    assert "Ann Roe, Organizer" in client.get(DIRECTORY).content.decode()
    # An organizer changed directly (as the admin's inline does).
    person = group.organizers.get()
    person.name = "Ann Rowe"
    person.save()
    assert "Ann Rowe, Organizer" in client.get(DIRECTORY).content.decode()
    assert "Ann Rowe" in client.get(FEED).content.decode()
    person.delete()
    assert "Ann Rowe" not in client.get(DIRECTORY).content.decode()
    # The intro, through the service an import uses.
    services.import_listing(
        text="---\ntitle: T\n---\nNew intro here.\n\n## Other ##\nBo Li, Organizer\n"
    )
    page = client.get(DIRECTORY).content.decode()
    assert "New intro here." in page and "Other" in page
