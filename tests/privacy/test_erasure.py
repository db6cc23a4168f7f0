"""People control their data: an organizer downloads and erases it after their group is
archived. The export holds everything the database holds about them; afterwards nothing
with their name or address remains, and the report's figures are as they were."""

import json

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client

from accounts.roles import staff_actor
from intake.models import Organizer
from meetups import lifecycle
from notifications.erasure import without_private_links
from tests import factories
from tests.privacy.helpers import CO, PRIMARY, approved_group_and_link, link_in

pytestmark = pytest.mark.django_db

THEM = [PRIMARY[0], PRIMARY[1], CO[0], CO[1], "Queens Library"]
# The same words as another field of the same row (the email's HTML copy of its text).
COPIES = {("notification", "body_html")}


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _leaves(item)
    elif value is not None:
        yield str(value)


def about_them():
    """Every stored value, in every table, that names them or holds their address."""
    found = []
    for model in apps.get_models():
        for row in model._default_manager.all():
            for field in model._meta.concrete_fields:
                if (model._meta.model_name, field.name) in COPIES:
                    continue
                for leaf in _leaves(field.value_from_object(row)):
                    if any(person.casefold() in leaf.casefold() for person in THEM):
                        found.append((model._meta.label, field.name, leaf))
    return found


@pytest.fixture
def archived(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        group, token = approved_group_and_link(
            name="Erasure Circle", description="Privmark purpose of Pat and Cam."
        )
    with django_capture_on_commit_callbacks(execute=True):
        approval = next(m for m in mail.outbox if CO[1] in m.to and "approved" in m.subject)
        Client().post(f"{link_in(approval)}name/", {"answer": "confirm"})
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.run_transition(
            meetup=group, name="archive", actor=staff_actor(factories.staff_user(role="manager"))
        )
    return group, token


def test_download_then_erase(archived, django_capture_on_commit_callbacks):
    _group, token = archived
    client = Client()
    response = client.get(f"/proposals/{token}/data.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    exported = "\n".join(_leaves(json.loads(response.content)))
    held = about_them()
    assert held, "the walk finds what the database holds about them"
    # The emails' private links are not kept: their stand-ins read "(private link, not kept)".
    missing = [
        (table, field)
        for table, field, value in held
        if without_private_links(value) not in exported
    ]
    assert missing == [], "the download leaves out what the database holds"

    report_before = Client().get("/report/data.csv").content
    page = client.get(f"/proposals/{token}/erase/").content.decode()
    assert "Erase our data" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/proposals/{token}/erase/", {"confirm": "1"})
    assert "Your data is erased" in response.content.decode()

    assert about_them() == []
    assert Client().get("/report/data.csv").content == report_before
    assert Client().get(f"/proposals/{token}/").status_code == 410  # "erased", not "unknown"
    # The histories keep their shape: each row is still there.
    assert Organizer.objects.filter(name="(erased)").count() == 2


def test_not_before_the_group_is_archived(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _group, token = approved_group_and_link(name="Still Listed")
    page = Client().get(f"/proposals/{token}/erase/").content.decode()
    assert "Your group is still on the directory" in page
    Client().post(f"/proposals/{token}/erase/", {"confirm": "1"})
    assert Organizer.objects.filter(name=PRIMARY[0]).exists()


def test_an_erased_proposal_records_when_says_so_and_tells_its_organizers(
    archived, django_capture_on_commit_callbacks
):
    group, token = archived
    proposal = group.proposal
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/proposals/{token}/erase/", {"confirm": "1"})
    proposal.refresh_from_db()
    assert proposal.erased_at is not None

    # Its private link says what happened, with 410 Gone.
    response = Client().get(f"/proposals/{token}/")
    assert response.status_code == 410
    assert "was erased" in response.content.decode()
    assert Client().get(f"/proposals/{token}/data.json").status_code == 410

    # Both organizers are told (the one who asked and the co-organizer), and the outbox
    # keeps no address of theirs once the email is sent.
    told = [m for m in mail.outbox if "erased" in m.subject]
    assert sorted(a for m in told for a in m.to) == sorted([PRIMARY[1], CO[1]])
    assert proposal.reference in told[0].body
    assert about_them() == []

    # Staff see when, not blank fields.
    manager = factories.staff_user(role="manager")
    client = Client()
    client.force_login(manager)
    page = client.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "Personal data erased on" in page


def test_the_download_holds_the_consent_choices_and_the_history(archived):
    _group, token = archived
    data = json.loads(Client().get(f"/proposals/{token}/data.json").content)
    consent = data["consent"]
    assert consent["proposal_name_shown_to_people_proposing_something_similar"] is False
    assert {o["name"]: o["name_on_the_directory"] for o in consent["organizers"]} == {
        PRIMARY[0]: "yes",
        CO[0]: "yes, confirmed from their own email",
    }
    assert [h["what"] for h in data["history"]][:2] == ["submit", "complete_review"]
    assert "name_confirmed" in [h["what"] for h in data["group"]["history"]]


def test_an_imported_groups_organizer_downloads_then_erases_from_the_group_page(
    django_capture_on_commit_callbacks,
):
    from meetups import stewardship
    from meetups.models import GroupContact
    from notifications.models import Notification

    imported = factories.meetup(name="Imported Zines")
    manager = staff_actor(factories.staff_user(role="manager"))
    with django_capture_on_commit_callbacks(execute=True):
        stewardship.add_organizer(
            meetup=imported,
            actor=manager,
            name="Ivy Imported",
            email="ivy@example.org",
            show_publicly=False,
            invite=True,
        )
    path = link_in(next(m for m in mail.outbox if "ivy@example.org" in m.to))
    client = Client()
    assert "Download your data" in client.get(path).content.decode()
    data = json.loads(client.get(f"{path}data.json").content)
    assert data["group"]["people_who_keep_the_page"][0]["email"] == "ivy@example.org"
    assert any(e["to"] == "ivy@example.org" for e in data["emails"])

    # Not while the group is listed.
    page = client.get(f"{path}erase/").content.decode()
    assert "still on the directory" in page
    client.post(f"{path}erase/", {"confirm": "1"})
    assert GroupContact.objects.filter(email="ivy@example.org").exists()

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.run_transition(meetup=imported, name="archive", actor=manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{path}erase/", {"confirm": "1"})
    assert "Your data is erased" in response.content.decode()
    assert not GroupContact.objects.filter(meetup=imported).exists()
    assert not Notification.objects.filter(recipient="ivy@example.org").exists()
    assert client.get(path).status_code in (404, 410)
