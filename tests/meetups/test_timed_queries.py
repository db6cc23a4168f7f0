"""The nightly pass and the weekly link check cost the same queries for 3 groups as for 12:
each step is done for a batch of groups at once (meetups.nightly, meetups.linkcheck), so no
step may query once per group. `make bench` measures the same at 10,000 groups."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetups import linkcheck, nightly
from meetups.models import Lifecycle, Meetup
from notifications.models import Kind, Notification
from tests import factories
from tests.meetups.helpers import gone_url, noon, set_lifecycle_days

pytestmark = pytest.mark.django_db

# More than a batch needs (on SQLite, with the savepoints of the test's transaction); a step
# that queried once per group would pass it at 12.
MOST_PER_STEP = 30


@pytest.fixture(autouse=True)
def _timing(settings):
    set_lifecycle_days(settings)
    settings.LINK_CHECK_FAILURES = 1


def _groups(count, **fields):
    groups = [factories.meetup(**fields) for _ in range(count)]
    for g in groups:
        g.contacts.create(name="Ada", email=f"ada{g.pk}@example.org")
        g.contacts.create(name="Bo", email=f"bo{g.pk}@example.org", position=1)
    return groups


def _queries(work) -> int:
    with CaptureQueriesContext(connection) as queries:
        work()
    return len(queries)


def _year(count, due) -> dict[str, int]:
    """Queries of each timed step for `count` groups due on `due`."""
    groups = _groups(count, check_in_due_on=due)
    steps = {
        "open_check_in": due - timedelta(days=30),
        "reminder": due,
        "lapse": due + timedelta(days=60),
        "archive": due + timedelta(days=150),
        "nothing due": due + timedelta(days=151),
    }
    counts = {}
    for step, day in steps.items():
        counts[step] = _queries(lambda day=day: nightly.run_pass(now=noon(day)))
    assert {g.lifecycle for g in Meetup.objects.filter(pk__in=[g.pk for g in groups])} == {
        Lifecycle.ARCHIVED
    }
    return counts


def test_the_nightly_pass_costs_the_same_queries_for_3_groups_as_for_12():
    factories.staff_user(role="manager")
    first_due = timezone.localdate() + timedelta(days=40)
    few = _year(3, first_due)
    # The second set's year starts after the first set is archived, so only it is due.
    many = _year(12, first_due + timedelta(days=400))
    assert many == few
    assert max(few.values()) <= MOST_PER_STEP
    # Every step still emailed every group's organizers once each (and the manager a
    # summary on each night the pass changed groups).
    assert Notification.objects.filter(kind=Kind.GROUP_CHECK_IN).count() == 15 * 2
    assert Notification.objects.filter(kind=Kind.GROUP_ARCHIVED).count() == 15 * 2


def test_the_link_check_costs_the_same_queries_for_3_groups_as_for_12():
    factories.staff_user(role="manager")
    with gone_url() as url:
        counts = []
        for week, count in enumerate((3, 12)):
            # The first set, checked a day before, is not due again (RECHECK_AFTER).
            _groups(count, url=url)
            now = timezone.now() + timedelta(days=week)
            counts.append(_queries(lambda now=now: linkcheck.check_links(now=now, timeout=2)))
    assert counts[0] == counts[1] <= MOST_PER_STEP
    # Every link is broken after one failure here: each group's history and emails, once.
    assert Notification.objects.filter(kind=Kind.GROUP_LINK_BROKEN).count() == 15 * 3
