"""Issue 23: "Save and check your answers" makes a draft and emails its private link to the
organizers it names, once, so "come back later" works without copying the address."""

import pytest
from django.test import Client

from intake.models import Proposal
from notifications.models import Kind
from tests.intake.forms_data import form_data

from .helpers import LINK, mailed, rows


@pytest.mark.django_db
def test_a_draft_first_saved_emails_its_private_link(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/propose/", form_data())
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    organizers = sorted(o.email for o in proposal.organizers.all())
    sent = mailed("is saved: your private link")
    assert sorted(address for m in sent for address in m.to) == organizers
    message = sent[0]
    assert proposal.reference in message.subject
    assert "not submitted yet" in message.body
    # A working private link to the draft, made when the email was sent.
    link = LINK.search(message.body)
    assert link and link.group(2) == "edit/"
    assert client.get(link.group(0)).status_code == 200
    check = client.get(response["Location"]).content.decode()
    assert "emailed its private link to every organizer" in check

    # Saving it again sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/proposals/{LINK.search(message.body).group(1)}/edit/", form_data())
    assert len(rows(kind=Kind.DRAFT_SAVED)) == len(organizers)
