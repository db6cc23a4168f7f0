"""The empty proposal form is rendered once and cached; each visitor still gets their own
CSRF token, the cached page still posts, and what the form shows stays current."""

import datetime
import re

import pytest
from django.test import Client

from intake import form_cache
from intake.models import Proposal
from meetups.models import Meetup
from meetups.services import archive_meetup

from .forms_data import form_data

FORM_BODY = "intake/_propose_form_body.html"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


@pytest.mark.django_db
def test_the_empty_form_is_rendered_once_then_served_from_the_cache(client):
    first = client.get("/propose/")
    second = Client().get("/propose/")
    assert first.status_code == second.status_code == 200
    assert FORM_BODY in template_names(first)
    assert FORM_BODY not in template_names(second)
    assert 'name="organizers-0-email"' in second.content.decode()


@pytest.mark.django_db
def test_the_cached_page_posts_successfully_with_csrf_checks_on():
    Client().get("/propose/")  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/propose/")
    assert FORM_BODY not in template_names(page)
    token = TOKEN.search(page.content.decode()).group(1)

    response = visitor.post("/propose/", {**form_data(), "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response["Location"].endswith("/check/")
    assert Proposal.objects.get().name == "Zine Librarians"


@pytest.mark.django_db
def test_a_post_without_the_visitors_token_is_still_refused():
    Client().get("/propose/")
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/propose/")
    response = visitor.post("/propose/", {**form_data(), "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert Proposal.objects.count() == 0


@pytest.mark.django_db
def test_each_visitor_gets_their_own_token_in_an_otherwise_identical_page():
    one, two = Client().get("/propose/"), Client().get("/propose/")
    token_one = TOKEN.search(one.content.decode()).group(1)
    token_two = TOKEN.search(two.content.decode()).group(1)
    assert token_one != token_two
    assert one.cookies["csrftoken"].value != two.cookies["csrftoken"].value
    assert TOKEN.sub("", one.content.decode()) == TOKEN.sub("", two.content.decode())


@pytest.mark.django_db
def test_listing_or_archiving_a_group_shows_at_once_beside_the_form(client):
    Meetup.objects.create(name="Zine Makers NYC", slug="zine-makers")
    assert "Zine Makers NYC" in client.get("/propose/").content.decode()

    Meetup.objects.create(name="Web Archiving Interest Group", slug="web-archiving")
    html = client.get("/propose/").content.decode()
    assert "Zine Makers NYC" in html
    assert "Web Archiving Interest Group" in html

    # Archived as a program manager does it (meetups.views.archive calls the service).
    archive_meetup(meetup=Meetup.objects.get(slug="zine-makers"))
    html = client.get("/propose/").content.decode()
    assert "Zine Makers NYC" not in html
    assert "Web Archiving Interest Group" in html


@pytest.mark.django_db
def test_first_meeting_choices_follow_the_month_even_in_a_long_running_process(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2031, 3, 10))
    html = client.get("/propose/").content.decode()
    assert '<option value="2031-04">April 2031</option>' in html
    assert '<option value="2031-03">' not in html

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2031, 4, 2))
    html = client.get("/propose/").content.decode()
    assert '<option value="2031-05">May 2031</option>' in html
    assert '<option value="2031-04">' not in html


@pytest.mark.django_db
def test_a_form_with_errors_is_rendered_fresh_and_keeps_what_was_typed(client):
    client.get("/propose/")
    response = client.post("/propose/", form_data(name=None, audience="Typed audience"))
    assert response.status_code == 200
    assert FORM_BODY in template_names(response)
    assert "Typed audience" in response.content.decode()


@pytest.mark.django_db
def test_a_deploy_that_changes_the_form_template_never_serves_the_old_form(
    client, tmp_path, settings
):
    """No version to bump by hand: the cache key carries a digest of the form's template
    and code, computed once per process (a deploy starts new processes)."""
    assert "Deployed change" not in client.get("/propose/").content.decode()  # now cached

    source = (settings.BASE_DIR / "templates" / FORM_BODY).read_text()
    changed = tmp_path / FORM_BODY
    changed.parent.mkdir(parents=True)
    changed.write_text("<p>Deployed change</p>\n" + source)
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    settings.TEMPLATES = templates
    form_cache._code_version.cache_clear()  # what a new process starts with
    try:
        html = Client().get("/propose/").content.decode()
    finally:
        form_cache._code_version.cache_clear()
    assert "Deployed change" in html
    assert 'name="organizers-0-email"' in html
