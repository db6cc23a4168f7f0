"""Stored cross-site scripting: script and HTML payloads typed into every text field come
out escaped on every page that shows them: the organizer pages, the reviewer pages, the
outbox, the public directory, /meetups.json and the HTML emails."""

import json
import re

import pytest
from django.core import mail
from django.test import Client

from accounts.roles import Actor, staff_actor
from intake import services
from intake.models import Proposal
from meetups.models import Meetup
from notifications.models import Notification
from tests import factories
from tests.intake.forms_data import form_data

PAYLOADS = {
    "name": '<script>alert("name")</script>',
    "description": '<img src=x onerror=alert("description")>',
    # The public description: what the directory shows (purpose and scope never is).
    "summary": '<img src=x onerror=alert("summary")>',
    "audience": "</dd><script>alert('audience')</script>",
    "differs_from_existing": '"><svg onload=alert(1)>',
    "activities": "<iframe src=javascript:alert(1)></iframe>",
    "meeting_frequency_other": "<b onmouseover=alert(1)>often</b>",
    "support_notes": "</textarea><script>alert('notes')</script>",
    "organizers-0-name": "<script>alert('organizer')</script>",
    "organizers-0-institution": "<a href=javascript:alert(1)>Library</a>",
    "organizers-1-name": "Robert'); DROP TABLE intake_proposal;--",
}
RAW_MARKERS = [
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<iframe",
    "<b onmouseover",
    "<a href=javascript",
]


def assert_escaped(html: str, where: str, *, shown: bool = True):
    for marker in RAW_MARKERS:
        assert marker not in html, (where, marker)
    if shown:
        assert "&lt;script&gt;alert(" in html, where  # the text is shown, as text


@pytest.mark.django_db
def test_script_payloads_in_every_field_are_escaped_on_organizer_pages():
    client = Client()
    data = form_data(**PAYLOADS, meeting_frequency="other")
    response = client.post("/propose/", data)
    assert response.status_code == 302
    check_url = response["Location"]
    token = check_url.split("/")[2]
    proposal = Proposal.objects.get()
    assert proposal.support_notes == PAYLOADS["support_notes"]  # stored as typed

    for url in (check_url, f"/proposals/{token}/", f"/proposals/{token}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url)

    assert client.post(check_url).status_code == 302
    assert_escaped(client.get(f"/proposals/{token}/submitted/").content.decode(), "", shown=False)
    # Every payload's text appears (escaped), so nothing was silently dropped either.
    html = client.get(f"/proposals/{token}/").content.decode()
    assert html.count("alert(") >= 8
    assert re.search(r"Robert&#x27;\); DROP TABLE intake_proposal;--", html)
    assert Proposal.objects.count() == 1


def test_json_responses_carry_no_raw_markup_and_the_same_data():
    """Every JSON response (/meetups.json, /healthz, any later one) has <, > and & written
    as \\u escapes: a consumer that pastes it into HTML cannot be scripted, and any JSON
    reader gets exactly the same data back."""
    from django.http import JsonResponse
    from django.test import RequestFactory

    from config.middleware import JsonHtmlEscapeMiddleware

    data = {"name": "</script><script>alert('x')</script> & more", "n": [1, "<>"]}
    middleware = JsonHtmlEscapeMiddleware(lambda request: JsonResponse(data))
    response = middleware(RequestFactory().get("/meetups.json"))
    body = response.content.decode()
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == data


@pytest.mark.django_db
def test_script_payloads_are_escaped_for_staff_in_the_directory_json_and_emails(
    django_capture_on_commit_callbacks,
):
    """The same payloads, plus a reviewer's shared comment and an organizer's reply, taken
    through review and approval: escaped on the reviewer pages and the outbox, on the
    public directory and group page, in /meetups.json (where <, > and & are \\u escapes and
    the data reads back exactly), and in every HTML email."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/propose/", form_data(**PAYLOADS, meeting_frequency="other"))
        token = response["Location"].split("/")[2]
        assert client.post(f"/proposals/{token}/check/").status_code == 302
    proposal = Proposal.objects.get()
    reviewer = factories.staff_user(role="reviewer")
    manager = factories.staff_user(role="manager", is_staff=True)
    staff = Client()
    staff.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        comment = {"body": "<script>alert('comment')</script>", "visibility": "shared"}
        assert staff.post(f"/reviews/{proposal.reference}/comment/", comment).status_code == 302
        reply = {"body": "<img src=x onerror=alert('reply')>"}
        assert client.post(f"/proposals/{token}/reply/", reply).status_code == 302
        for name, actor in (
            ("complete_review", Actor.automatic()),
            ("approve", staff_actor(manager)),
        ):
            proposal = services.run_transition(proposal=proposal, name=name, actor=actor)

    staff.force_login(manager)
    pages = ["/reviews/", f"/reviews/{proposal.reference}/", "/reviews/outbox/"]
    for email in Notification.objects.all():
        pages += [f"/reviews/outbox/{email.pk}/", f"/reviews/outbox/{email.pk}/html/"]
    for url in pages:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url, shown=url == pages[1])

    group = Meetup.objects.get(proposal=proposal)
    for url in ("/meetups/", f"/meetups/{group.slug}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url)

    response = client.get("/meetups.json")
    body = response.content.decode()
    assert response["Content-Type"].startswith("application/json")
    assert "<" not in body and ">" not in body
    listed = {g["name"]: g for g in json.loads(body)["groups"]}
    assert listed[PAYLOADS["name"]]["description"] == PAYLOADS["summary"]

    emails = list(Notification.objects.all())
    assert len(emails) >= 5
    for email in emails:
        assert_escaped(email.body_html, f"email {email.kind}", shown=False)
        assert "&lt;" in email.body_html, email.kind  # the user's text is in it, escaped
    assert mail.outbox, "no email was sent"
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert_escaped(html, message.subject, shown=False)
