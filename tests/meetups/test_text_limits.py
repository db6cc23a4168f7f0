"""Every published free-text field has a limit, held by each form that writes it (the
organizers' group form, the program managers' edit, the admin) and by the listing import,
with a message that says how long it may be and keeps what was typed: a 1 MB description
can no longer make `/meetups.json` 1 MB."""

import pytest
from django.urls import reverse

from intake.models import ProgramPage
from meetups import access, services
from meetups.limits import DESCRIPTION_MAX_LENGTH, INTRO_MAX_LENGTH, MEETING_DETAILS_MAX_LENGTH
from meetups.listing import ListingError, parse_listing
from tests import factories

pytestmark = pytest.mark.django_db

MEGABYTE = "Zines and more. " * 65_536  # 1 MiB


def _feed_size(client) -> int:
    return len(client.get("/meetups.json").content)


@pytest.mark.parametrize(
    ("field", "limit"),
    [("description", DESCRIPTION_MAX_LENGTH), ("meeting_details", MEETING_DETAILS_MAX_LENGTH)],
)
def test_the_organizers_form_says_how_long_and_keeps_the_text(client, field, limit):
    group = factories.meetup(name="Zines", description="Short.")
    contact = group.contacts.create(name="Ada", email="ada@example.org")
    page = f"/groups/{access.issue_group_link(contact=contact)}/details/"
    data = {"description": "Short.", "url": "", "meeting_details": ""}
    data[field] = "x" * (limit + 1)
    response = client.post(page, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert f"Keep this to {limit} characters or fewer: it has {limit + 1}" in body
    assert "x" * (limit + 1) in body  # nothing typed is lost
    group.refresh_from_db()
    assert group.description == "Short."
    data[field] = "x" * limit
    assert client.post(page, data).status_code == 302


def test_a_megabyte_description_never_reaches_the_feed(client):
    group = factories.meetup(name="Zines", description="Short.")
    contact = group.contacts.create(name="Ada", email="ada@example.org")
    before = _feed_size(client)
    page = f"/groups/{access.issue_group_link(contact=contact)}/details/"
    response = client.post(page, {"description": MEGABYTE, "url": "", "meeting_details": ""})
    assert response.status_code == 400
    assert _feed_size(client) == before


def test_the_managers_edit_holds_the_limit(client):
    group = factories.meetup(name="Zines", description="Short.")
    client.force_login(factories.staff_user(role="manager"))
    response = client.post(
        reverse("meetups:edit", kwargs={"slug": group.slug}),
        {
            "name": "Zines",
            "url": "",
            "description": "x" * (DESCRIPTION_MAX_LENGTH + 1),
            "organizers-TOTAL_FORMS": "1",
            "organizers-INITIAL_FORMS": "0",
            "organizers-0-name": "Ada Lovelace",
            "organizers-0-role": "Organizer",
        },
    )
    assert response.status_code in (200, 400)
    assert f"Keep this to {DESCRIPTION_MAX_LENGTH} characters" in response.content.decode()
    group.refresh_from_db()
    assert group.description == "Short."


def test_the_admin_holds_the_limits_of_the_intro_and_the_program_pages(client):
    client.force_login(factories.superuser())
    page = services.directory_page()
    response = client.post(
        reverse("admin:meetups_directorypage_change", args=[page.pk]),
        {"front_matter": "", "intro": "x" * (INTRO_MAX_LENGTH + 1)},
    )
    assert response.status_code == 200  # the form again, with its error
    page.refresh_from_db()
    assert len(page.intro) <= INTRO_MAX_LENGTH
    limit = ProgramPage._meta.get_field("body").max_length
    assert limit
    program_page = ProgramPage.objects.create(slug="limits", title="Limits", body="Short.")
    response = client.post(
        reverse("admin:intake_programpage_change", args=[program_page.pk]),
        {"slug": "limits", "title": "Limits", "body": "x" * (limit + 1)},
    )
    assert response.status_code == 200
    program_page.refresh_from_db()
    assert program_page.body == "Short."


def test_the_listing_import_refuses_a_description_over_the_limit():
    page = "## Zines ##\nAda Lovelace, Organizer\n\n" + "x" * (DESCRIPTION_MAX_LENGTH + 1) + "\n"
    with pytest.raises(ListingError, match="description is longer than 4,000"):
        parse_listing(page)
    long_intro = "y" * (INTRO_MAX_LENGTH + 1) + "\n\n## Zines ##\nWe make zines.\n"
    with pytest.raises(ListingError, match="intro is longer"):
        parse_listing(long_intro)
