"""Program managers keep the directory: editing, archiving and listing groups again, from
their pages and the admin."""

import json

import pytest
from django.urls import reverse

from meetups import services
from meetups.models import Meetup
from tests import factories

pytestmark = pytest.mark.django_db

DIRECTORY = "/meetups/"
FEED = "/meetups.json"


def test_manager_edit_changes_the_cached_directory(client):
    group = factories.meetup(name="Zines", url="https://z.example/")
    assert "Zines" in client.get(DIRECTORY).content.decode()
    client.force_login(factories.staff_user(role="manager"))
    edit_url = reverse("meetups:edit", kwargs={"slug": group.slug})
    form = client.get(edit_url)
    assert form.status_code == 200 and 'value="Ada Lovelace"' in form.content.decode()
    response = client.post(
        edit_url,
        {
            "name": "Zine Makers",
            "url": "https://zines.example/",
            "description": "New words.",
            "organizers-TOTAL_FORMS": "3",
            "organizers-INITIAL_FORMS": "2",
            "organizers-0-name": "Ada Lovelace",
            "organizers-0-role": "Organizer",
            "organizers-1-name": "Grace Hopper",
            "organizers-1-role": "Co-organizer",
            "organizers-1-DELETE": "on",
            "organizers-2-name": "Cy Wu",
            "organizers-2-role": "Co-organizer",
        },
    )
    assert response.status_code == 302 and response["Location"] == group.get_absolute_url()
    client.logout()
    html = client.get(DIRECTORY).content.decode()
    assert "Zine Makers" in html and "https://zines.example/" in html
    assert "Ada Lovelace, Organizer; Cy Wu, Co-organizer" in html
    assert "Grace Hopper" not in html
    assert Meetup.objects.get().slug == group.slug


def test_an_invalid_edit_says_what_is_wrong_and_saves_nothing(client):
    taken = factories.meetup(name="Taken Name")
    group = factories.meetup(name="Zines")
    client.force_login(factories.staff_user(role="manager"))
    response = client.post(
        reverse("meetups:edit", kwargs={"slug": group.slug}),
        {
            "name": "taken name",
            "url": "not a web address",
            "description": "",
            "organizers-TOTAL_FORMS": "2",
            "organizers-INITIAL_FORMS": "2",
            "organizers-0-name": "Ada Lovelace",
            "organizers-0-role": "Co-organizer",
            "organizers-1-name": "Grace Hopper",
            "organizers-1-role": "Co-organizer",
            "organizers-1-DELETE": "on",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Another listed group already has this name." in html
    assert "Enter a full web address" in html
    assert 'value="taken name"' in html
    assert "<h1>Edit Zines</h1>" in html
    renamed = client.post(
        reverse("meetups:edit", kwargs={"slug": group.slug}),
        {
            "name": "Brand New Name",
            "url": "still not an address",
            "organizers-TOTAL_FORMS": "0",
            "organizers-INITIAL_FORMS": "0",
        },
    ).content.decode()
    assert "<h1>Edit Zines</h1>" in renamed and 'value="Brand New Name"' in renamed
    assert html.count("Remove this person") == 2  # one per person already shown
    assert Meetup.objects.get(pk=group.pk).name == "Zines"
    assert Meetup.objects.get(pk=group.pk).organizers.count() == 2
    assert Meetup.objects.get(pk=taken.pk).name == "Taken Name"


@pytest.mark.parametrize("view", ["edit", "archive"])
def test_only_program_managers_edit_and_archive(client, view):
    group = factories.meetup(name="Zines")
    url = reverse(f"meetups:{view}", kwargs={"slug": group.slug})

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.post(url).status_code == 302

    client.force_login(factories.staff_user(role="reviewer"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Hijacked"}).status_code == 403
    assert Meetup.objects.get().is_listed and Meetup.objects.get().name == "Zines"

    client.force_login(factories.staff_user(role="manager"))
    assert client.get(url).status_code == 200


def test_manager_archives_a_group(client):
    group = factories.meetup(name="Zines")
    client.force_login(factories.staff_user(role="manager"))
    detail = client.get(group.get_absolute_url()).content.decode()
    archive_url = reverse("meetups:archive", kwargs={"slug": group.slug})
    assert archive_url in detail
    response = client.post(archive_url, follow=True)
    assert response.redirect_chain[-1][0] == DIRECTORY
    assert "Zines is archived" in response.content.decode()
    assert not Meetup.objects.get().is_listed
    assert client.get(group.get_absolute_url()).status_code == 404
    assert client.post(archive_url).status_code == 404


def test_intro_edited_in_the_admin_shows_at_once(client):
    factories.meetup(name="Zines")
    assert "Zines" in client.get(DIRECTORY).content.decode()
    admin = factories.superuser()
    client.force_login(admin)
    page = services.directory_page()
    response = client.post(
        reverse("admin:meetups_directorypage_change", args=[page.pk]),
        {"front_matter": "title: T", "intro": "Fresh intro from the admin."},
    )
    assert response.status_code == 302
    client.logout()
    assert "Fresh intro from the admin." in client.get(DIRECTORY).content.decode()
    assert json.loads(client.get(FEED).content)["intro"] == "Fresh intro from the admin."


def test_admin_lists_groups_with_their_organizers_inline(client):
    group = factories.meetup(name="Zines", organizers=[("Ann Roe", "Organizer")])
    client.force_login(factories.superuser())
    assert "Zines" in client.get(reverse("admin:meetups_meetup_changelist")).content.decode()
    change = client.get(reverse("admin:meetups_meetup_change", args=[group.pk])).content.decode()
    assert "Ann Roe" in change  # shown, read-only (consent: tests/privacy/test_consent.py)


def test_the_edit_service_refuses_a_name_another_listed_group_has():
    """The form checks first; the service checks again with the directory locked, for an
    edit or approval that took the name in between."""
    factories.meetup(name="Zine Makers")
    group = factories.meetup(name="Zines", url="https://z.example/")
    with pytest.raises(services.NameTaken, match="already has this name"):
        services.update_meetup(
            meetup=group,
            name="zine  makers.",
            url="https://other.example/",
            description="Changed.",
            organizers=[("Ann Roe", "Organizer")],
        )
    group.refresh_from_db()
    assert (group.name, group.url) == ("Zines", "https://z.example/")
    assert Meetup.objects.filter(name="zine  makers.").count() == 0


def test_manager_lists_an_archived_group_again_in_its_old_place(client):
    first = factories.meetup(name="Alpha Readers")
    group = factories.meetup(name="Zines", organizers=[("Ann Roe", "Organizer")])
    last = factories.meetup(name="Omega Coders")
    assert [first.position, group.position, last.position] == sorted(
        [first.position, group.position, last.position]
    )
    services.archive_meetup(meetup=group)
    client.force_login(factories.staff_user(role="manager"))

    directory = client.get(DIRECTORY).content.decode()
    archived_url = reverse("meetups:archived")
    assert archived_url in directory  # the managers' note says where archived groups are
    page = client.get(archived_url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert "Zines" in body and "Ann Roe, Organizer" in body
    assert "Alpha Readers" not in body  # listed groups are not here

    restore_url = reverse("meetups:restore", kwargs={"slug": group.slug})
    assert restore_url in body
    response = client.post(restore_url, follow=True)
    assert response.redirect_chain[-1][0] == group.get_absolute_url()
    assert "Zines is listed again" in response.content.decode()
    client.logout()
    directory = client.get(DIRECTORY).content.decode()
    # Back in its place: the directory is sorted by name.
    assert (
        directory.index("Alpha Readers")
        < directory.index("Omega Coders")
        < directory.index("Zines")
    )
    assert client.get(group.get_absolute_url()).status_code == 200


def test_an_archived_group_whose_name_was_taken_meanwhile_stays_archived(client):
    group = factories.meetup(name="Zines")
    services.archive_meetup(meetup=group)
    factories.meetup(name="ZINES")
    client.force_login(factories.staff_user(role="manager"))
    response = client.post(reverse("meetups:restore", kwargs={"slug": group.slug}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("meetups:archived")
    assert "A listed group is now called Zines" in response.content.decode()
    assert not Meetup.objects.get(pk=group.pk).is_listed


def test_only_program_managers_see_and_restore_archived_groups(client):
    group = factories.meetup(name="Zines")
    services.archive_meetup(meetup=group)
    archived_url = reverse("meetups:archived")
    restore_url = reverse("meetups:restore", kwargs={"slug": group.slug})

    assert client.get(archived_url)["Location"].startswith("/accounts/login/?next=")
    assert client.post(restore_url).status_code == 302
    client.force_login(factories.staff_user(role="reviewer"))
    assert archived_url not in client.get("/reviews/").content.decode()
    assert client.get(archived_url).status_code == 403
    assert client.post(restore_url).status_code == 403
    assert not Meetup.objects.get().is_listed

    client.force_login(factories.staff_user(role="manager"))
    assert client.get(restore_url).status_code == 405  # a change only by POST
    listed = factories.meetup(name="Listed Group")
    no_such = reverse("meetups:restore", kwargs={"slug": listed.slug})
    assert client.post(no_such).status_code == 404  # only archived groups are restored


def test_managers_find_the_outbox_and_groups_health_in_the_header(client):
    client.force_login(factories.staff_user(role="manager"))
    header = client.get("/reviews/").content.decode()
    assert reverse("notifications:outbox") in header
    assert reverse("meetups:dashboard") in header
    # Archived groups are reached from the groups' health page, which the header marks.
    dashboard = client.get(reverse("meetups:dashboard")).content.decode()
    assert reverse("meetups:archived") in dashboard
    archived = client.get(reverse("meetups:archived")).content.decode()
    assert f'href="{reverse("meetups:dashboard")}" aria-current="page"' in archived
    assert 'href="/reviews/" aria-current="page"' not in archived
