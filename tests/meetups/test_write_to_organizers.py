"""Writing to a group's organizers from its public page (issue 22, third run): a group
with nobody to receive a message offers no form and says how to reach program staff; the
limit per sender counts the client address as well as the email; a line break in a name
cannot forge a header line."""

import pytest
from django.conf import settings

from intake.models import State
from meetups import meeting_forms
from meetups import meetings as services
from meetups.models import GroupContact, Meetup
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_wait(monkeypatch):
    monkeypatch.setattr(meeting_forms, "MIN_SECONDS", 0)


def _approved_group():
    proposal, _ = factories.proposal_in_state(State.APPROVED)
    return Meetup.objects.get(proposal=proposal)


def _post(client, group, *, extra=None, **overrides):
    data = {
        "name": "Member Mo",
        "email": "mo@example.net",
        "message": "Can I bring my kid?",
        "website": "",
        "token": meeting_forms.form_token(slug=group.slug),
        **overrides,
    }
    return client.post(f"/meetups/{group.slug}/write/", data, **(extra or {}))


def test_a_group_with_nobody_to_write_to_offers_no_form_and_names_program_staff(client):
    group = factories.meetup(is_listed=True)  # imported: no organizer addresses
    assert group.accepts_messages and not group.contacts.exists()
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Write to the organizers" not in page
    assert f"/meetups/{group.slug}/write/" not in page
    form = client.get(f"/meetups/{group.slug}/write/")
    body = form.content.decode()
    assert "<textarea" not in body
    assert settings.PROGRAM_CONTACT_EMAIL in body
    response = _post(client, group)
    body = response.content.decode()
    assert response.status_code != 302
    assert "was sent" not in body and "was not sent" in body
    assert settings.PROGRAM_CONTACT_EMAIL in body
    assert not Notification.objects.filter(kind=Kind.GROUP_MESSAGE).exists()
    # Once the group has someone to receive messages, the link and the form are back.
    GroupContact.objects.create(meetup=group, name="Ada", email="ada@example.org")
    assert "Write to the organizers" in client.get(group.get_absolute_url()).content.decode()
    assert _post(client, group).status_code == 302
    assert Notification.objects.filter(kind=Kind.GROUP_MESSAGE, recipient="ada@example.org")


def test_a_group_with_organizers_still_takes_messages(client):
    group = _approved_group()
    assert "Write to the organizers" in client.get(group.get_absolute_url()).content.decode()
    assert _post(client, group).status_code == 302


def test_one_client_address_cannot_send_more_by_changing_the_email(client):
    group = _approved_group()
    here = {"REMOTE_ADDR": "203.0.113.9"}
    for n in range(services.MESSAGES_PER_SENDER_PER_DAY):
        response = _post(client, group, email=f"mo{n}@example.net", extra=here)
        assert response.status_code == 302
    refused = _post(client, group, email="someone-else@example.net", extra=here)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert "Can I bring my kid?" in refused.content.decode()  # nothing typed is lost
    sent = Notification.objects.filter(kind=Kind.GROUP_MESSAGE).values("reply_to").distinct()
    assert sent.count() == services.MESSAGES_PER_SENDER_PER_DAY
    # Another address is not held back by this one.
    elsewhere = {"REMOTE_ADDR": "198.51.100.7"}
    assert _post(client, group, email="ann@example.net", extra=elsewhere).status_code == 302


def test_the_limit_per_email_gives_retry_after_too(client):
    group = _approved_group()
    for n in range(services.MESSAGES_PER_SENDER_PER_DAY):
        address = {"REMOTE_ADDR": f"203.0.113.{n + 1}"}
        assert _post(client, group, extra=address).status_code == 302
    refused = _post(client, group, extra={"REMOTE_ADDR": "203.0.113.99"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", "Mallory\r\nBcc: victim@example.com"),
        ("name", "Mallory\nBcc: victim@example.com"),
        ("name", "Mallory\rBcc"),
        ("name", "Mallory\tTab"),
        ("name", "Mallory\x1b[2J"),
        ("email", "mo@example.net\r\nBcc: victim@example.com"),
    ],
)
def test_control_characters_in_a_one_line_field_are_refused(client, field, value):
    group = _approved_group()
    response = _post(client, group, **{field: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Can I bring my kid?" in body  # nothing typed is lost
    assert not Notification.objects.filter(kind=Kind.GROUP_MESSAGE).exists()
    if field == "name":
        assert "control characters" in body or "one line" in body


@pytest.mark.parametrize("name", ["=?utf-8?q?enc?=", "Mo =?UTF-8?B?QWRtaW4=?="])
def test_an_encoded_word_in_the_name_is_refused(client, name):
    # Mail programs decode "=?charset?q?...?=" in a Subject: a name could smuggle text.
    group = _approved_group()
    response = _post(client, group, name=name)
    assert response.status_code == 400
    body = response.content.decode()
    assert "=?" in body and "cannot hold" in body
    assert "Can I bring my kid?" in body  # nothing typed is lost
    assert not Notification.objects.filter(kind=Kind.GROUP_MESSAGE).exists()
