"""Every staff and organizer action on a group, and the nightly pass, against check-in dates
in the past, today, ahead and far ahead, from every state: no action or nightly pass skips
a state, each state lasts at least its period from the day the group entered it, no email
names a date already past, and a date a program manager types is refused when it is in the
past or too far ahead (issue 23, bugs 1 and 2)."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.roles import staff_actor
from common import transitions
from meetups import check_ins, lifecycle, nightly
from meetups.models import Lifecycle, Meetup, add_months
from notifications.models import Notification
from tests import factories
from tests.meetups.helpers import noon

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
NOTICE, REMINDER, GRACE, KEEP_LAPSED = 3, 2, 4, 5
START = date(2027, 3, 1)  # the day of the action; the pass then runs every night
WALK = NOTICE + GRACE + KEEP_LAPSED + 6

# Dates relative to START: the group's check-in date, and a date a manager extends to.
DATES = {"past": -400, "yesterday": -1, "today": 0, "ahead": 40, "far ahead": 800}
STATES = [Lifecycle.ACTIVE, Lifecycle.CHECK_IN_DUE, Lifecycle.LAPSED, Lifecycle.ARCHIVED]
# The timed path, in order: a pass moves a group one place along it, never more.
TIMED = [Lifecycle.ACTIVE, Lifecycle.CHECK_IN_DUE, Lifecycle.LAPSED, Lifecycle.ARCHIVED]
# The least time a state lasts before the pass moves the group on, from its entry.
LEAST_DAYS = {Lifecycle.CHECK_IN_DUE: GRACE, Lifecycle.LAPSED: KEEP_LAPSED}

ACTIONS = [
    "nothing",
    "archive",
    "restore",
    "check_in",
    "retire",
    *(f"extend to {when}" for when in DATES),
]


@pytest.fixture(autouse=True)
def _timing(settings):
    settings.CHECK_IN_MONTHS = 12
    settings.CHECK_IN_NOTICE_DAYS = NOTICE
    settings.CHECK_IN_REMINDER_DAYS = REMINDER
    settings.CHECK_IN_GRACE_DAYS = GRACE
    settings.LAPSED_ARCHIVE_DAYS = KEEP_LAPSED


def _group(state, due_on, *, entered):
    group = factories.meetup(check_in_due_on=due_on)
    group.contacts.create(name="Ada Lovelace", email="ada@example.org")
    group.contacts.create(name="Grace Hopper", email="grace@example.org", position=1)
    # A group found in this state (an import, an old database): it entered it `entered`.
    Meetup.objects.filter(pk=group.pk).update(
        lifecycle=state,
        is_listed=state != Lifecycle.ARCHIVED,
        archived_automatically=state == Lifecycle.ARCHIVED,
        state_since=noon(entered),
    )
    return Meetup.objects.get(pk=group.pk)


def _act(group, action, manager):
    staff, now = staff_actor(manager), noon(START)
    if action == "nothing":
        return
    if action.startswith("extend to "):
        due_on = START + timedelta(days=DATES[action.removeprefix("extend to ")])
        lifecycle.run_transition(
            meetup=group, name="extend", actor=staff, note="Summer break", due_on=due_on, now=now
        )
    elif action in ("archive", "restore"):
        lifecycle.run_transition(meetup=group, name=action, actor=staff, now=now)
    else:
        check_ins.check_in(
            meetup=group,
            contact=group.contacts.first(),
            answers=check_ins.CheckInAnswers(action == "check_in", 3, None, True),
            now=now,
        )


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_HUMAN_DATE = re.compile(rf"\b(\d{{1,2}}) ({_MONTHS}) (\d{{4}})\b")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _dates_named(text):
    return [
        datetime.strptime(" ".join(m.groups()), "%d %B %Y").date()
        for m in _HUMAN_DATE.finditer(text)
    ]


def _check_emails_since(first_pk, day):
    for row in Notification.objects.filter(pk__gt=first_pk):
        past = [d for d in _dates_named(row.body_text) if d < day]
        assert not past, f"{row.kind} on {day} names {past}:\n{row.body_text}"
        assert not _ISO_DATE.search(row.body_text), row.body_text


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("due", DATES)
@pytest.mark.parametrize("state", STATES)
def test_no_action_or_pass_skips_a_state_or_cuts_one_short(state, due, action):
    manager = factories.staff_user(role="manager")
    due_on = START + timedelta(days=DATES[due])
    group = _group(state, due_on, entered=START - timedelta(days=2))
    before = group.lifecycle
    outbox = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    try:
        _act(group, action, manager)
    except transitions.Refused as refusal:
        group.refresh_from_db()
        assert group.lifecycle == before  # refused: nothing changed
        if action.startswith("extend to"):
            when = action.removeprefix("extend to ")
            if state != Lifecycle.ARCHIVED and "later date" in str(refusal):
                # Extending never shortens: a date not after the current one is refused.
                assert START + timedelta(days=DATES[when]) <= due_on, str(refusal)
            elif state != Lifecycle.ARCHIVED:  # an archived group is restored, not extended
                assert when in ("past", "yesterday", "far ahead"), str(refusal)
                assert "past" in str(refusal) or "at most" in str(refusal)
        return
    group.refresh_from_db()
    if action.startswith("extend to"):
        when = action.removeprefix("extend to ")
        assert when in ("today", "ahead"), f"extending to {when} was accepted"
        assert START + timedelta(days=DATES[when]) > due_on, "the extension shortened it"
    if action in ("restore", "check_in") or action.startswith("extend"):
        # Bug 2: a group made active again gets a check-in date it has not passed.
        assert group.lifecycle == Lifecycle.ACTIVE
        # A check-in answered early counts its year from the due date, not from today.
        counted_from = max(START, due_on) if action == "check_in" else START
        assert START <= group.check_in_due_on <= add_months(counted_from, 12)
    _check_emails_since(outbox, START)

    state_now, entered = group.lifecycle, START if group.lifecycle != before else None
    for offset in range(1, WALK + 1):
        day = START + timedelta(days=offset)
        mark = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        nightly.run_pass(now=noon(day))
        group.refresh_from_db()
        _check_emails_since(mark, day)
        if group.lifecycle == state_now:
            continue
        # One place along the timed path, never more.
        assert TIMED.index(group.lifecycle) == TIMED.index(state_now) + 1, (
            f"{state_now} -> {group.lifecycle} on {day}"
        )
        least = LEAST_DAYS.get(state_now)
        if least and entered is not None:
            assert (day - entered).days >= least, f"{state_now} lasted {(day - entered).days} days"
        if state_now == Lifecycle.ACTIVE:
            assert day >= group.check_in_due_on - timedelta(days=NOTICE)
        state_now, entered = group.lifecycle, day
        assert timezone.localdate(group.state_since) == day


def test_an_extension_to_a_past_date_is_refused_on_the_page_with_a_clear_message(client):
    group = factories.meetup()
    due = group.check_in_due_on
    client.force_login(factories.staff_user(role="manager"))
    yesterday = (timezone.localdate() - DAY).isoformat()
    response = client.post(
        f"/reviews/groups/{group.slug}/do/extend/", {"note": "Typo", "due_on": yesterday}
    )
    assert response.status_code == 400
    assert "is in the past" in response.content.decode()
    group.refresh_from_db()
    assert group.check_in_due_on == due and not group.history.exists()
