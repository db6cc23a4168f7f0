"""What the directory says about groups' lives: when each last confirmed it is active,
"Not confirmed recently" for lapsed groups (in the JSON too), archived groups gone; and the
staff dashboard of the directory's health."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import State
from meetups import nightly
from meetups.models import Meetup
from tests import factories
from tests.meetups.helpers import noon

pytestmark = pytest.mark.django_db


def _quiet_group(name, settings):
    """A group whose check-in fell due long ago, walked to "not confirmed recently": the
    pass opens its check-in one night (due that day) and lapses it after its grace."""
    settings.CHECK_IN_GRACE_DAYS = 0
    today = timezone.localdate()
    group = factories.meetup(name=name, check_in_due_on=today - timedelta(days=100))
    Meetup.objects.filter(pk=group.pk).update(state_since=timezone.now() - timedelta(days=1))
    nightly.run_pass()
    nightly.run_pass(now=noon(today + timedelta(days=1)))
    group.refresh_from_db()
    return group


def test_directory_and_json_show_when_each_group_last_confirmed(client, settings):
    settings.LAPSED_ARCHIVE_DAYS = 365
    proposal, _ = factories.proposal_in_state(State.APPROVED, name="Confirmed Circle")
    confirmed = Meetup.objects.get(proposal=proposal)
    quiet = _quiet_group("Quiet Circle", settings)
    assert quiet.lifecycle == "lapsed" and quiet.is_listed

    page = client.get("/meetups/").content.decode()
    lapsed_section = page[page.index('id="lapsed-title"') :]
    assert "Quiet Circle" in lapsed_section and "Confirmed Circle" not in lapsed_section
    confirmed_on = timezone.localdate(confirmed.last_confirmed_at).isoformat()
    assert f'Last confirmed active <time datetime="{confirmed_on}"' in page

    data = {g["name"]: g for g in json.loads(client.get("/meetups.json").content)["groups"]}
    assert data["Confirmed Circle"]["last_confirmed"] == confirmed_on
    assert data["Confirmed Circle"]["confirmed_recently"] is True
    assert data["Quiet Circle"]["confirmed_recently"] is False
    assert data["Quiet Circle"]["last_confirmed"] is None
    assert "Not confirmed recently" in client.get(f"/meetups/{quiet.slug}/").content.decode()


def test_the_dashboard_lists_groups_by_what_needs_doing(client, settings):
    today = timezone.localdate()
    soon = factories.meetup(name="Soon Circle", check_in_due_on=today + timedelta(days=10))
    _quiet_group("Lapsed Circle", settings)
    client.force_login(factories.staff_user(role="manager"))
    page = client.get("/reviews/groups/").content.decode()
    due_soon = page[page.index("Check-ins due") : page.index("Overdue")]
    assert "Soon Circle" in due_soon
    lapsed_part = page[page.index("Not confirmed recently") : page.index("Broken links")]
    assert "Lapsed Circle" in lapsed_part
    assert f"/reviews/groups/{soon.slug}/" in page


def test_the_directory_index_sets_lapsed_groups_apart_below_the_active_ones(client, settings):
    settings.LAPSED_ARCHIVE_DAYS = 365
    factories.proposal_in_state(State.APPROVED, name="Active Circle")
    _quiet_group("A Quiet Circle", settings)  # first by name, yet listed after
    page = client.get("/meetups/").content.decode()
    index = re.search(r'<nav[^>]*class="directory-contents".*?</nav>', page, re.S).group(0)
    active, lapsed = index.split("Not confirmed recently", 1)
    assert "Active Circle" in active and "A Quiet Circle" not in active
    assert "A Quiet Circle" in lapsed and "Active Circle" not in lapsed
    assert "have not confirmed this year that they are still meeting" in lapsed
