"""Stored cross-site scripting on the staff side: the reviewer pages, the outbox, the public
directory, /meetups.json and the HTML emails show typed script and HTML escaped."""

import json

import pytest
from django.core import mail
from django.test import Client

from accounts.roles import Actor
from intake import services
from intake.models import Proposal
from meetups.models import Meetup
from notifications.models import Notification
from tests import factories
from tests.intake.forms_data import form_data

from .test_escaping import PAYLOADS, assert_escaped


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
            ("approve", Actor.staff(manager)),
        ):
            proposal = services.perform_transition(proposal=proposal, name=name, actor=actor)

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
    assert listed[PAYLOADS["name"]]["description"] == PAYLOADS["description"]

    emails = list(Notification.objects.all())
    assert len(emails) >= 5
    for email in emails:
        assert_escaped(email.body_html, f"email {email.kind}", shown=False)
        assert "&lt;" in email.body_html, email.kind  # the user's text is in it, escaped
    assert mail.outbox, "no email was sent"
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert_escaped(html, message.subject, shown=False)
