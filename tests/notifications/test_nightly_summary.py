"""Program managers get one summary email a night listing every group whose state the
nightly pass changed (lapsed, archived, check-in due), with links to the staff group pages,
instead of one email per group; nothing when nothing changed; once however often it runs."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetups import nightly
from meetups.models import Lifecycle, Meetup
from notifications.links import absolute
from notifications.models import Kind, Notification
from tests import factories
from tests.meetups.helpers import noon, set_lifecycle_days

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _timing(settings):
    settings.CHECK_IN_MONTHS = 12
    set_lifecycle_days(settings)


def _imported(name, *, lifecycle, due, since):
    """An imported group nobody keeps: no contacts to write to."""
    group = factories.meetup(name=name, check_in_due_on=due)
    Meetup.objects.filter(pk=group.pk).update(lifecycle=lifecycle, state_since=noon(since))
    return group


def test_one_summary_a_night_lists_every_group_that_changed_grouped_with_staff_links():
    manager = factories.staff_user(role="manager", first_name="Maria", last_name="Manager")
    today = timezone.localdate()
    lapsing = _imported(
        "Lapsing Readers",
        lifecycle=Lifecycle.CHECK_IN_DUE,
        due=today - timedelta(days=60),
        since=today - timedelta(days=60),
    )
    archiving = _imported(
        "Archived Knitters",
        lifecycle=Lifecycle.LAPSED,
        due=today - timedelta(days=150),
        since=today - timedelta(days=90),
    )
    opening = _imported(
        "Opening Poets",
        lifecycle=Lifecycle.ACTIVE,
        due=today + timedelta(days=10),
        since=today - timedelta(days=300),
    )
    _imported(
        "Quiet Gardeners",
        lifecycle=Lifecycle.ACTIVE,
        due=today + timedelta(days=200),
        since=today - timedelta(days=100),
    )
    nameless = factories.staff_user(role="manager", email="pm@council.example.org")
    nightly.run_pass(now=noon(today))
    nightly.run_pass(now=noon(today))  # a beat that fires twice

    to_managers = Notification.objects.filter(audience="manager")
    assert not to_managers.filter(kind__in=[Kind.GROUP_LAPSED, Kind.GROUP_ARCHIVED]).exists()
    summary = to_managers.get(kind=Kind.GROUP_NIGHTLY_SUMMARY, recipient=manager.email)
    text = summary.body_text
    assert text.startswith("Hello Maria Manager,")
    # A manager whose account has no name is greeted neutrally, never by their address.
    other = to_managers.get(kind=Kind.GROUP_NIGHTLY_SUMMARY, recipient=nameless.email)
    assert other.body_text.startswith("Hello there,"), other.body_text[:60]
    lapsed_at, archived_at, due_at = (
        text.index("Lapsed"),
        text.index("Archived ("),
        text.index("Check-in due"),
    )
    assert lapsed_at < text.index("Lapsing Readers") < archived_at
    assert archived_at < text.index("Archived Knitters") < due_at < text.index("Opening Poets")
    assert "Quiet Gardeners" not in text
    for group in (lapsing, archiving, opening):
        assert absolute(reverse("meetups:staff_group", kwargs={"slug": group.slug})) in text
    # Item 14: staff are not told how to reach program staff; the ending suits them.
    assert "To reach program staff" not in text and "as METRO Meetups staff" in text


def test_no_summary_on_a_night_when_nothing_changed():
    factories.staff_user(role="manager")
    today = timezone.localdate()
    _imported(
        "Quiet Gardeners",
        lifecycle=Lifecycle.ACTIVE,
        due=today + timedelta(days=200),
        since=today - timedelta(days=100),
    )
    nightly.run_pass(now=noon(today))
    assert not Notification.objects.filter(audience="manager").exists()
