"""Public pages that change only when staff edit them (home, guidelines, a group's page,
besides the directory) are rendered once per version and then served without a query to a
visitor who is not signed in; a staff edit shows at once in the same process; a signed-in
visitor still gets a page of their own."""

import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import ProgramPage, Question
from meetups.cache import CSRF_SLOT
from meetups.models import Meeting
from tests import factories


@pytest.mark.django_db
def test_no_query_for_an_anonymous_visitor_after_the_first(
    client, django_assert_num_queries, settings, public_paths
):
    # The version is re-read once per interval: long enough that a slow machine never
    # reaches it during the test.
    settings.DIRECTORY_RECHECK_SECONDS = 300
    for path in public_paths:
        first = client.get(path)
        assert first.status_code == 200, path
        with django_assert_num_queries(0):
            again = client.get(path)
        assert again.status_code == 200, path
        if path != "/propose/":  # which carries each visitor's own CSRF token
            assert again.content == first.content, path
        with django_assert_num_queries(0):
            zipped = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert zipped["Content-Encoding"] == "gzip", path


@pytest.mark.django_db
def test_a_program_page_edit_shows_at_once(client):
    guidelines = ProgramPage.objects.get(slug="guidelines")
    assert client.get("/guidelines/").status_code == 200
    client.get("/")
    guidelines.body = "## Be kind\n\nNew rule: bring snacks."
    guidelines.save()
    assert "bring snacks" in client.get("/guidelines/").content.decode()
    home, _ = ProgramPage.objects.update_or_create(
        slug="home", defaults={"title": "Welcome", "body": "Fresh welcome words."}
    )
    assert "Fresh welcome words." in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_group_edit_shows_at_once_on_its_page_and_the_home_page(client):
    group = factories.meetup(is_listed=True, name="Quiet Readers")
    # The home page names groups through their coming meetings (issue 25).
    Meeting.objects.create(
        meetup=group,
        starts_on=timezone.localdate() + timedelta(days=3),
        start_time=time(18),
        end_time=time(19),
        venue="Hall",
    )
    path = f"/meetups/{group.slug}/"
    assert "Quiet Readers" in client.get(path).content.decode()
    assert "Quiet Readers" in client.get("/").content.decode()
    group.name = "Loud Readers"
    group.save()
    assert "Loud Readers" in client.get(path).content.decode()
    assert "Loud Readers" in client.get("/").content.decode()
    assert client.get("/meetups/no-such-group/").status_code == 404


@pytest.mark.django_db
def test_a_signed_in_manager_gets_their_own_page(client):
    group = factories.meetup(is_listed=True)
    path = f"/meetups/{group.slug}/"
    anonymous = client.get(path).content.decode()
    assert "Sign out" not in anonymous
    client.force_login(factories.staff_user(role="manager"))
    with CaptureQueriesContext(connection) as queries:
        signed_in = client.get(path).content.decode()
    assert len(queries) > 0
    assert "Sign out" in signed_in
    client.logout()
    assert "Sign out" not in client.get(path).content.decode()


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.django_db
def test_the_kept_form_page_carries_each_visitors_own_working_token(settings):
    settings.DIRECTORY_RECHECK_SECONDS = 300
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get("/propose/").content.decode()
        assert page.count("csrfmiddlewaretoken") == 1 and CSRF_SLOT not in page
        token = CSRF_INPUT.search(page).group(1)
        tokens.append(token)
        # The token works: a post with it passes the CSRF check (and gets the form's answer).
        response = visitor.post("/propose/", {"csrfmiddlewaretoken": token, "add_organizer": "1"})
        assert response.status_code == 200
        assert "Propose a group" in response.content.decode()
    assert tokens[0] != tokens[1]


@pytest.mark.django_db
def test_a_question_added_by_staff_shows_at_once_on_the_form(client):
    assert "Which branch is nearest?" not in client.get("/propose/").content.decode()
    Question.objects.create(
        label="Which branch is nearest?", kind="short_text", required=False, section="meetings"
    )
    assert "Which branch is nearest?" in client.get("/propose/").content.decode()
