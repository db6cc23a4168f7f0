"""A lapsed group's organizers hear once, LAPSED_WARNING_DAYS before the archive date, that
the group is about to be archived: the 90 lapsed days were silent until the archiving."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from intake.models import State
from meetups import nightly
from meetups.models import Lifecycle, Meetup
from notifications.models import Kind, Notification
from tests import factories
from tests.meetups.helpers import noon, set_lifecycle_days

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _timing(settings):
    set_lifecycle_days(settings)  # 60 days' grace, archived 90 days after lapsing


def _lapsed_group(lapsed_on):
    proposal, _token = factories.proposal_in_state(State.APPROVED)
    group = Meetup.objects.get(proposal=proposal)
    Meetup.objects.filter(pk=group.pk).update(
        lifecycle=Lifecycle.LAPSED,
        is_listed=True,
        check_in_due_on=lapsed_on - timedelta(days=60),
        state_since=noon(lapsed_on),
    )
    group.refresh_from_db()
    return group, sorted(c.email for c in group.contacts.all())


def _warnings():
    return Notification.objects.filter(kind=Kind.GROUP_LAPSED_WARNING, audience="organizer")


def test_the_warning_setting_defaults_to_fourteen_days(settings):
    assert settings.LAPSED_WARNING_DAYS == 14


def test_organizers_are_warned_once_fourteen_days_before_the_archive_date():
    lapsed_on = timezone.localdate() - timedelta(days=10)
    group, organizers = _lapsed_group(lapsed_on)
    archive_on = lapsed_on + timedelta(days=90)
    day = lapsed_on + DAY
    while day < archive_on - timedelta(days=14):
        nightly.run_pass(now=noon(day))
        day += DAY
    assert not _warnings().exists()  # nothing before the warning day

    nightly.run_pass(now=noon(archive_on - timedelta(days=14)))
    nightly.run_pass(now=noon(archive_on - timedelta(days=14)))  # a beat that fires twice
    for later in range(13, 0, -1):
        nightly.run_pass(now=noon(archive_on - timedelta(days=later)))
    warnings = list(_warnings())
    assert sorted(n.recipient for n in warnings) == organizers  # once each
    text = warnings[0].body_text
    assert f"Hello {group.contacts.get(email=warnings[0].recipient).name}," in text
    assert "archived" in warnings[0].subject
    date = date_format(archive_on)
    assert date in text, text
    assert "@@group-link:" in text  # the check-in link, made when the email is sent
    assert "To reach program staff" in text

    nightly.run_pass(now=noon(archive_on))
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ARCHIVED
    assert _warnings().count() == len(organizers)


def test_a_pass_that_did_not_run_warns_late_naming_the_archive_date_still_ahead():
    lapsed_on = timezone.localdate() - timedelta(days=10)
    group, organizers = _lapsed_group(lapsed_on)
    archive_on = lapsed_on + timedelta(days=90)
    nightly.run_pass(now=noon(archive_on - timedelta(days=3)))  # the first pass in weeks
    warnings = list(_warnings())
    assert sorted(n.recipient for n in warnings) == organizers
    assert date_format(archive_on) in warnings[0].body_text


def test_no_warning_names_a_date_already_past():
    lapsed_on = timezone.localdate() - timedelta(days=10)
    group, _organizers = _lapsed_group(lapsed_on)
    archive_on = lapsed_on + timedelta(days=90)
    nightly.run_pass(now=noon(archive_on + timedelta(days=5)))  # archived, not warned
    group.refresh_from_db()
    assert group.lifecycle == Lifecycle.ARCHIVED
    assert not _warnings().exists()
