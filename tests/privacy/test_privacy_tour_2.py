"""Issue 27, the second fresh-eyes tour (priv27c): erasure and the data download, as the
people concerned see them."""

import pytest
from django.test import Client

from accounts.roles import Actor
from meetups import access, lifecycle
from tests import factories
from tests.privacy.helpers import approved_group_and_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        group, token = approved_group_and_link(name="Erasure Circle")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.perform(
            meetup=group, name="archive", actor=Actor.staff(factories.staff_user(role="manager"))
        )
    return group, token


def test_item12_an_erased_groups_old_private_link_says_its_data_was_erased(
    archived, django_capture_on_commit_callbacks
):
    group, token = archived
    group_page = f"/groups/{access.issue_group_link(contact=group.contacts.first())}/"
    assert Client().get(group_page).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/proposals/{token}/erase/", {"confirm": "1"})
    response = Client().get(group_page)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This group's data was erased" in page
    assert "<nav" in page  # the site's look, not a bare page


def test_item12_an_imported_groups_erased_link_says_so_too(django_capture_on_commit_callbacks):
    manager = factories.staff_user(role="manager")
    group = factories.meetup(organizers=())
    contact = group.contacts.create(name="Ivy Imported", email="ivy@example.org")
    path = f"/groups/{access.issue_group_link(contact=contact)}/"
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.perform(meetup=group, name="archive", actor=Actor.staff(manager))
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"{path}erase/", {"confirm": "1"})
    response = Client().get(path)
    assert response.status_code == 410
    assert "This group's data was erased" in response.content.decode()
