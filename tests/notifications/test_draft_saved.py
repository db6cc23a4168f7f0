"""Issue 23: "Save and check your answers" makes a draft and emails its private link to its
primary contact, once, so "come back later" works without copying the address. Addresses
typed on a public form get few such emails (issue 22's second attack run: the form relayed
the attacker's text to anyone named on it, again and again)."""

import pytest
from django.test import Client

from intake.models import Proposal
from notifications.models import Kind
from notifications.recording import DRAFT_EMAILS_PER_RECIPIENT_PER_DAY
from tests.intake.forms_data import form_data

from .helpers import LINK, mailed, rows


@pytest.mark.django_db
def test_a_draft_first_saved_emails_its_private_link(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/propose/", form_data())
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    primary = proposal.organizers.order_by("position", "pk").first().email
    sent = mailed("is saved: your private link")
    # Only the primary contact: co-organizers hear of the proposal once it is sent.
    assert [address for m in sent for address in m.to] == [primary]
    message = sent[0]
    assert proposal.reference in message.subject
    assert "not submitted yet" in message.body
    # A working private link to the draft, made when the email was sent.
    link = LINK.search(message.body)
    assert link and link.group(2) == "edit/"
    assert client.get(link.group(0)).status_code == 200
    check = client.get(response["Location"]).content.decode()
    assert "emailed its private link to the primary contact" in check

    # Saving it again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/proposals/{LINK.search(message.body).group(1)}/edit/", form_data())
    assert len(rows(kind=Kind.DRAFT_SAVED)) == 1


@pytest.mark.django_db
def test_one_address_gets_few_draft_emails_a_day(django_capture_on_commit_callbacks):
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            # A new client each time: as from many addresses, past the form's own throttle.
            response = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post("/propose/", form_data())
        assert response.status_code == 302
    assert Proposal.objects.count() == 5
    assert len(rows(kind=Kind.DRAFT_SAVED)) == DRAFT_EMAILS_PER_RECIPIENT_PER_DAY
