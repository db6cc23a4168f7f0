"""/reviews/outbox/: program managers see every email and resend failed ones."""

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import Notification, Status
from tests import factories

from .helpers import organizer, transition

pytestmark = pytest.mark.django_db


def record_emails(proposals: int = 1) -> None:
    for _ in range(proposals):
        proposal, _ = factories.draft()
        with transaction.atomic():
            transition(proposal, "submit", organizer())


@pytest.fixture
def manager_client(client):
    client.force_login(factories.staff_user(role="manager"))
    return client


def test_anonymous_people_are_sent_to_sign_in(client):
    record_emails()
    row = Notification.objects.first()
    for url in (
        "/reviews/outbox/",
        f"/reviews/outbox/{row.pk}/",
        f"/reviews/outbox/{row.pk}/html/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post(f"/reviews/outbox/{row.pk}/resend/").status_code == 302


def test_reviewers_may_not_see_it(client):
    record_emails()
    row = Notification.objects.first()
    client.force_login(factories.staff_user(role="reviewer"))
    for url in (
        "/reviews/outbox/",
        f"/reviews/outbox/{row.pk}/",
        f"/reviews/outbox/{row.pk}/html/",
    ):
        assert client.get(url).status_code == 403
    Notification.objects.filter(pk=row.pk).update(status=Status.FAILED)
    assert client.post(f"/reviews/outbox/{row.pk}/resend/").status_code == 403
    assert Notification.objects.get(pk=row.pk).status == Status.FAILED


def test_the_outbox_lists_every_email_with_its_status(manager_client):
    record_emails()
    Notification.objects.filter(pk=Notification.objects.first().pk).update(
        status=Status.FAILED, attempts=5, last_error="SMTPDataError: 554 refused"
    )
    html = manager_client.get("/reviews/outbox/").content.decode()
    for n in Notification.objects.select_related("proposal"):
        assert n.recipient in html
        assert n.proposal.reference in html
    assert "Proposal submitted" in html
    assert "SMTPDataError: 554 refused" in html
    assert html.count('action="/reviews/outbox/') == 1  # resend only for the failed one
    failed = manager_client.get("/reviews/outbox/?status=failed").content.decode()
    assert failed.count("<tr>") == 2  # header and the one failed row


def test_the_outbox_query_count_does_not_grow_with_rows(
    manager_client, django_assert_max_num_queries
):
    record_emails(proposals=1)
    with django_assert_max_num_queries(12) as few:
        manager_client.get("/reviews/outbox/")
    record_emails(proposals=30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = manager_client.get("/reviews/outbox/")
    assert response.content.decode().count("Proposal submitted") == 50
    assert "Page 1 of 2" in response.content.decode()


def test_the_detail_page_shows_the_message_without_a_working_link(manager_client):
    record_emails()
    row = Notification.objects.filter(audience="organizer").first()
    html = manager_client.get(f"/reviews/outbox/{row.pk}/").content.decode()
    assert row.subject in html
    assert row.proposal.reference in html
    assert "[private link, made when the email is sent]" in html
    assert "@@private-link" not in html
    version = manager_client.get(f"/reviews/outbox/{row.pk}/html/")
    assert "sandbox" in version["Content-Security-Policy"]
    assert "See your proposal" in version.content.decode()


def test_resend_sends_a_failed_email_again(manager_client, django_capture_on_commit_callbacks):
    record_emails()
    row = Notification.objects.first()
    Notification.objects.filter(pk=row.pk).update(
        status=Status.FAILED, attempts=5, last_error="SMTPServerDisconnected"
    )
    assert manager_client.get(f"/reviews/outbox/{row.pk}/resend/").status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/reviews/outbox/{row.pk}/resend/", follow=True)
    assert f"The email to {row.recipient} is queued again." in response.content.decode()
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 1 and row.last_error == ""
    assert [m.to for m in mail.outbox] == [[row.recipient]]
    # A sent email is not sent again by a second press.
    response = manager_client.post(f"/reviews/outbox/{row.pk}/resend/", follow=True)
    assert "so it was not resent" in response.content.decode()
    assert len(mail.outbox) == 1
