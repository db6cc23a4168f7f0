"""Named only with consent, given by the person named."""

import pytest
from django.core import mail
from django.test import Client

from accounts.roles import Actor, staff_actor
from meetups import stewardship
from meetups.models import GroupContact
from tests import factories
from tests.privacy.helpers import CO, PRIMARY, approved_group, link_in

pytestmark = pytest.mark.django_db


def directory() -> str:
    return Client().get("/meetups/").content.decode()


def email_to(address):
    found = [m for m in mail.outbox if address in m.to]
    assert found, f"no email to {address}"
    return found[-1]


@pytest.fixture
def group(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return approved_group(name="Consent Circle")


def test_a_listed_co_organizer_is_named_only_after_confirming(
    group, django_capture_on_commit_callbacks
):
    assert PRIMARY[0] in directory()
    assert CO[0] not in directory()
    message = email_to(CO[1])
    assert "only if you agree" in message.body
    client = Client()
    page = client.get(link_in(message)).content.decode()
    assert "May we show your name on the directory?" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{link_in(message)}name/", {"answer": "confirm"}, follow=True)
    assert "your name is now on the directory" in response.content.decode()
    assert CO[0] in directory()
    # The primary contact, who filled the form, is not asked.
    assert "only if you agree" not in email_to(PRIMARY[1]).body


def test_declining_removes_them(group, django_capture_on_commit_callbacks):
    path = link_in(email_to(CO[1]))
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"{path}name/", {"answer": "decline", "confirm": "1"})
    assert "You are not named" in response.content.decode()
    assert CO[0] not in directory()
    assert not GroupContact.objects.filter(meetup=group, email=CO[1]).exists()
    assert Client().get(path).status_code == 410


def test_someone_an_organizer_adds_is_named_only_after_confirming(
    group, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stewardship.add_organizer(
            meetup=group,
            actor=Actor.organizer_link(),
            name="Nia Newcomer",
            email="nia@example.org",
            show_publicly=True,
        )
    assert "Nia Newcomer" not in directory()
    path = link_in(email_to("nia@example.org"))
    assert "only if you agree" in email_to("nia@example.org").body
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"{path}name/", {"answer": "confirm"})
    assert "Nia Newcomer" in directory()


def test_someone_staff_invite_for_an_imported_group_is_asked_too(
    django_capture_on_commit_callbacks,
):
    imported = factories.meetup(name="Imported Group")
    with django_capture_on_commit_callbacks(execute=True):
        stewardship.add_organizer(
            meetup=imported,
            actor=staff_actor(factories.staff_user(role="manager")),
            name="Ivy Invited",
            email="ivy@example.org",
            show_publicly=True,
            invite=True,
        )
    assert "Ivy Invited" not in directory()
    assert "only if you agree" in email_to("ivy@example.org").body


def test_the_admin_cannot_change_or_add_a_name_published_only_with_consent(client):
    """A name on the directory is there because its person agreed: the admin shows it and
    its consent, and cannot rewrite it or add one nobody agreed to."""
    from django.urls import reverse

    group = factories.meetup(name="Zines", organizers=[("Ann Roe", "Organizer")])
    person = group.organizers.get()
    client.force_login(factories.superuser())
    url = reverse("admin:meetups_meetup_change", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Ann Roe" in page
    assert 'value="Ann Roe"' not in page  # shown, not an input
    form = {
        "name": group.name,
        "slug": group.slug,
        "url": group.url,
        "description": group.description,
        "position": group.position,
        "organizers-TOTAL_FORMS": "2",
        "organizers-INITIAL_FORMS": "1",
        "organizers-MIN_NUM_FORMS": "0",
        "organizers-MAX_NUM_FORMS": "1000",
        "organizers-0-id": person.pk,
        "organizers-0-meetup": group.pk,
        "organizers-0-name": "Someone Else",
        "organizers-0-role_label": person.role_label,
        "organizers-0-position": "0",
        "organizers-1-meetup": group.pk,
        "organizers-1-name": "Never Asked",
        "organizers-1-role_label": "Co-organizer",
        "organizers-1-position": "1",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert list(group.organizers.values_list("name", flat=True)) == ["Ann Roe"]
