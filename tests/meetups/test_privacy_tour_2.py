"""Issue 27, the second fresh-eyes tour (priv27c): what a new user found, as they see it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import staff_actor
from meetups import nightly, services
from meetups.models import Lifecycle
from notifications import delivery
from notifications.models import Kind, Notification
from tests import factories
from tests.meetups.helpers import noon

pytestmark = pytest.mark.django_db


def _archived_email(address: str):
    return delivery.build_email(
        Notification.objects.get(kind=Kind.GROUP_ARCHIVED, recipient=address)
    )


def _group():
    group = factories.meetup(name="Zine Makers", organizers=())
    group.contacts.create(name="Ada Lovelace", email="ada@example.org")
    return group


@pytest.mark.parametrize("note", ["", "The group asked us to."])
def test_item1_a_group_archived_by_staff_is_told_who_did_it_and_how_to_come_back(note):
    manager = factories.staff_user(role="manager", first_name="Maria", last_name="Manager")
    group = _group()
    services.archive_meetup(meetup=group, actor=staff_actor(manager), note=note)
    email = _archived_email("ada@example.org")
    for body in (email.body, email.alternatives[0][0]):
        assert "Maria Manager" in body
        assert "program staff" in body
        assert "did not hear from the group" not in body
        assert "check-in lists it again" not in body
        assert "Answer the check-in" not in body
        assert "ask program staff to restore it" in body.replace("\n", " ")
        if note:
            assert "The group asked us to." in body
    assert "archived it" in email.body


def test_item1_a_group_archived_after_the_lapse_period_is_told_so_and_a_check_in_brings_it_back(
    settings,
):
    settings.CHECK_IN_NOTICE_DAYS, settings.CHECK_IN_GRACE_DAYS = 30, 60
    settings.LAPSED_ARCHIVE_DAYS = 90
    today = timezone.localdate()
    group = _group()
    group.check_in_due_on = today + timedelta(days=1)
    group.save()
    for days in (1, 61, 152):
        nightly.run_pass(now=noon(today + timedelta(days=days)))
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ARCHIVED
    body = _archived_email("ada@example.org").body
    assert "did not hear from the group after its yearly check-in fell due" in body
    assert "check-in lists it again" in body
    assert "restore it" not in body and "of the program staff" not in body
