"""A group's meetings: what is public, publishing and changing them, the first schedule a
proposal's plan seeds, and relaying a member's message to the organizers. Views parse the
request and call one of these; meetups.schedule expands, meetups.calendar writes feeds."""

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common import throttle

from . import meeting_words
from .models import Lifecycle, Meeting, MeetingChange, Meetup, Place, Repeat, Topic
from .schedule import (
    MAX_RANGE_DAYS,
    clock_problem,
    moved_date_problem,
    occurrences,
    past_problem,
    rule_dates,
    schedule_problem,
    window_problem,
)
from .signals import organizers_contacted


class MeetingError(ValueError):
    """A change that cannot happen; the message is for the organizer who tried, and `field`
    the form field it is about."""

    def __init__(self, message: str, *, field: str | None = "original_date"):
        super().__init__(message)
        self.field = field


# A date moves within four weeks of the date it had: further is a new meeting.
MAX_MOVE_DAYS = 28


# Groups whose meetings anyone sees: listed, and confirmed within the year. A lapsed or
# archived group's meetings leave every page and feed at once (the nightly pass moves it).
SHOWN_LIFECYCLES = [Lifecycle.ACTIVE, Lifecycle.CHECK_IN_DUE]

MESSAGES_PER_SENDER_PER_DAY = 5
MESSAGES_PER_GROUP_PER_DAY = 20
DAY = 24 * 3600


def shows_meetings(meetup: Meetup) -> bool:
    return meetup.is_listed and meetup.lifecycle in SHOWN_LIFECYCLES


def public_meetings(*, meetup: Meetup | None = None):
    """Published meetings of groups that show them, their group and changes fetched."""
    meetings = Meeting.objects.filter(
        confirmed=True, meetup__is_listed=True, meetup__lifecycle__in=SHOWN_LIFECYCLES
    )
    if meetup is not None:
        meetings = meetings.filter(meetup=meetup)
    return meetings.select_related("meetup").prefetch_related("changes")


def dropped_changes(*, meeting: Meeting) -> list[MeetingChange]:
    """The skipped, moved or cancelled dates the meeting's (changed, unsaved) rule no longer
    gives: saving it drops them, so the organizers confirm first."""
    if meeting.pk is None:
        return []
    kept = set(rule_dates(meeting))
    return [c for c in meeting.changes.all() if c.original_date not in kept]


def keeps_link_private(meeting: Meeting) -> bool:
    """Members ask the organizers for this meeting's joining link (it is not public)."""
    return meeting.online and not meeting.join_url_public and not meeting.cancelled


def private_link_meetings(*, meetup: Meetup) -> list[Meeting]:
    return [
        m
        for m in Meeting.objects.filter(meetup=meetup, confirmed=True).select_related("meetup")
        if keeps_link_private(m)
    ]


def save_meeting(*, meeting: Meeting, drop_changes: bool = False) -> Meeting:
    """Publish a new meeting or save a changed one; a change moves SEQUENCE on so that
    subscribed calendars take it. A rule change that drops changed dates raises
    MeetingError unless `drop_changes` (the organizers confirmed); those rows go. A private
    joining link is sent on request, so it needs the group to accept messages."""
    if keeps_link_private(meeting) and not meeting.meetup.accepts_messages:
        raise MeetingError(
            _(
                "Members cannot write to you (it is switched off under “Topics and "
                "messages”), so they could not ask for a private joining link: show the "
                "link publicly, or let members write to you first."
            ),
            field="join_url_public",
        )
    if problem := schedule_problem(meeting):
        raise MeetingError(problem, field=None)
    problem, field = window_problem(meeting)
    if problem:
        raise MeetingError(problem, field=field)
    if problem := past_problem(meeting):
        raise MeetingError(problem, field="starts_on")
    dropped = dropped_changes(meeting=meeting)
    if dropped and not drop_changes:
        raise MeetingError(_("The new rule drops dates you changed: confirm first."))
    with transaction.atomic():
        if meeting.pk is not None:
            meeting.sequence += 1
            MeetingChange.objects.filter(pk__in=[c.pk for c in dropped]).delete()
        meeting.confirmed = True
        meeting.save()
    return meeting


def change_date(
    *,
    meeting: Meeting,
    original_date: date,
    kind: str,
    new_date=None,
    start_time=None,
    end_time=None,
    venue: str = "",
    address: str = "",
    note: str = "",
    replace: bool = False,
) -> MeetingChange:
    """Skip, move or cancel one date of a meeting. Raises MeetingError when the meeting does
    not take place on `original_date`, or when that date is already changed and `replace`
    is not given (the organizers confirm replacing the earlier change)."""
    if original_date not in {o.original_date for o in occurrences(meeting, changes=[])}:
        raise MeetingError(_("The meeting does not take place on that date."))
    earlier = meeting.changes.filter(original_date=original_date).first()
    if earlier is not None and not replace:
        raise MeetingError(
            _(
                "%(date)s is already %(kind)s. Saving replaces that change: tick “Replace "
                "the earlier change of this date” and save again, or undo it on the "
                "meetings page."
            )
            % {
                "date": formats.date_format(original_date, "l j F Y"),
                "kind": earlier.get_kind_display().lower(),
            },
            field="replace",
        )
    moved_far = new_date is not None and abs((new_date - original_date).days) > MAX_MOVE_DAYS
    if kind == MeetingChange.Kind.MOVED and moved_far:
        raise MeetingError(
            _(
                "A date can move at most four weeks earlier or later (%(date)s is further). "
                "For a date further away, publish a new meeting."
            )
            % {"date": new_date.isoformat()},
            field="new_date",
        )
    if new_date is not None and (problem := moved_date_problem(new_date)):
        raise MeetingError(problem, field="new_date")
    if kind == MeetingChange.Kind.MOVED and (
        problem := clock_problem(
            new_date or original_date,
            start_time or meeting.start_time,
            end_time or meeting.end_time,
        )
    ):
        raise MeetingError(problem, field="start_time")
    with transaction.atomic():
        change, _created = MeetingChange.objects.update_or_create(
            meeting=meeting,
            original_date=original_date,
            defaults={
                "kind": kind,
                "new_date": new_date,
                "start_time": start_time,
                "end_time": end_time,
                "venue": venue,
                "address": address,
                "note": note,
            },
        )
        meeting.sequence += 1
        meeting.save(update_fields=["sequence", "updated_at"])
    return change


def undo_change(*, meeting: Meeting, change: MeetingChange) -> None:
    """Take a skipped, moved or cancelled date back to what the rule gives; SEQUENCE moves
    on so that subscribed calendars show it again."""
    with transaction.atomic():
        change.delete()
        meeting.sequence += 1
        meeting.save(update_fields=["sequence", "updated_at"])


def cancel_meeting(*, meeting: Meeting, note: str = "") -> Meeting:
    """Cancel the whole meeting; its note for members (cancel_note) shows in place of the
    meeting's own note, which is kept for a reinstatement."""
    meeting.cancelled, meeting.cancel_note = True, note
    meeting.sequence += 1
    meeting.save()
    return meeting


def reinstate_meeting(*, meeting: Meeting) -> Meeting:
    """Take a cancelled meeting back: it takes place again, its cancellation note is gone,
    and SEQUENCE moves on so that subscribed calendars show it confirmed."""
    if not meeting.cancelled:
        raise MeetingError(_("This meeting is not cancelled."))
    if meeting.online and not meeting.join_url_public and not meeting.meetup.accepts_messages:
        raise MeetingError(
            _(
                "Members cannot write to you, so they could not ask for this meeting's "
                "private joining link: let members write to you, or show the link publicly, "
                "then reinstate it."
            )
        )
    if meeting.cancel_note and meeting.note == meeting.cancel_note:
        # Meetings cancelled before the note was kept apart had it written over their own.
        meeting.note = ""
    meeting.cancelled, meeting.cancel_note = False, ""
    meeting.sequence += 1
    meeting.save()
    return meeting


def delete_meeting(*, meeting: Meeting) -> None:
    meeting.delete()


# The proposal's plan (intake's meeting_frequency and first_meeting) as a first schedule.
FREQUENCIES = {
    "monthly": (Repeat.MONTHLY_WEEKDAY, 1),
    "bimonthly": (Repeat.MONTHLY_WEEKDAY, 2),
    "quarterly": (Repeat.MONTHLY_WEEKDAY, 3),
    "twice_a_year": (Repeat.MONTHLY_WEEKDAY, 6),
}


def seed_from_proposal(*, meetup: Meetup, proposal) -> Meeting | None:
    """A draft schedule from the plan the proposal stated, for the organizers to confirm on
    their page (never public until they do: a proposal states no time or place): the
    frequency it named, from the first meeting it planned (else a month after approval),
    6 to 7:30 pm. "Other" with a planned date gives that one date; with none, nothing."""
    repeat, interval = FREQUENCIES.get(proposal.meeting_frequency or "", (Repeat.NEVER, 1))
    today = timezone.localdate()
    first = proposal.first_meeting or today + timedelta(days=30)
    if not today <= first <= today + timedelta(days=MAX_RANGE_DAYS - 366):
        first = today + timedelta(days=30)  # a planned date out of the window is not kept
    if repeat == Repeat.NEVER and not proposal.first_meeting:
        return None
    week = min((first.day - 1) // 7 + 1, 4)
    if repeat == Repeat.MONTHLY_WEEKDAY:
        # The same weekday of the month as the planned date, found again from its month's
        # start so that the first date fits the rule.
        first = _nth_weekday(first.year, first.month, first.weekday(), week)
    fmt = proposal.meeting_format or ""
    return Meeting.objects.create(
        meetup=meetup,
        starts_on=first,
        start_time=time(18, 0),
        end_time=time(19, 30),
        repeat=repeat,
        interval=interval,
        week_of_month=week if repeat == Repeat.MONTHLY_WEEKDAY else None,
        repeat_until=first + timedelta(days=364) if repeat != Repeat.NEVER else None,
        place={"online": Place.ONLINE, "hybrid": Place.HYBRID}.get(fmt, Place.IN_PERSON),
        confirmed=False,
    )


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    day = date(year, month, 1)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return day + timedelta(weeks=nth - 1)


class TooManyMessages(Exception):
    """A sender or a group reached the day's limit of relayed messages; `retry_after` is
    the seconds until the day's count starts again."""

    def __init__(self, *, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


class NobodyToWrite(Exception):
    """The group has no organizer with an email address: a message would reach no one."""


def receives_messages(meetup: Meetup) -> bool:
    """Whether members can write to the group: it takes messages, and someone would get
    them (a group imported without organizers' addresses has nobody)."""
    if not meetup.accepts_messages:
        return False
    return any((e or "").strip() for e in meetup.contacts.values_list("email", flat=True))


def relay_message(*, meetup: Meetup, name: str, email: str, message: str, address: str) -> None:
    """Send a member's message to the group's organizers through the outbox (notifications
    hears organizers_contacted), with the member's address as Reply-To; the organizers'
    addresses never reach the member. Throttled per sender (address and email) and per
    group. Raises NobodyToWrite when no organizer would receive it (nothing is counted)."""
    if not receives_messages(meetup):
        raise NobodyToWrite
    # Per sender is per client address and per email, each on its own: changing the email
    # from one address (or the address for one email) does not start a new count.
    if not (
        throttle.take("contact-address", address, limit=MESSAGES_PER_SENDER_PER_DAY, window=DAY)
        and throttle.take(
            "contact-sender", email.strip().lower(), limit=MESSAGES_PER_SENDER_PER_DAY, window=DAY
        )
        and throttle.take(
            "contact-group", str(meetup.pk), limit=MESSAGES_PER_GROUP_PER_DAY, window=DAY
        )
    ):
        raise TooManyMessages(retry_after=throttle.seconds_left(DAY))
    with transaction.atomic():
        organizers_contacted.send(
            sender=Meetup, meetup=meetup, name=name, email=email, message=message
        )


def add_topic(*, name: str):
    """A new topic program managers keep; its address on the directory's filter is its slug."""
    return Topic.objects.create(name=name, slug=slugify(name))


def rename_topic(*, topic, name: str) -> None:
    """Rename a topic (and its address on the directory's filter) on every group using it;
    the old address is kept, so links to it lead to the renamed topic."""
    old, new = topic.slug, slugify(name)
    if old != new and old not in topic.former_slugs:
        topic.former_slugs = [*topic.former_slugs, old]
    topic.name, topic.slug = name, new
    topic.save(update_fields=["name", "slug", "former_slugs"])


def remove_topic(*, topic) -> None:
    """Remove a topic, from every group using it."""
    topic.delete()


def update_group_settings(*, meetup: Meetup, topics, accepts_messages: bool) -> None:
    """Save the group's topics and whether members may write. Messages stay on while a
    meeting keeps its joining link private (members ask for it by writing): MeetingError
    names those meetings, and nothing changes."""
    if not accepts_messages and (private := private_link_meetings(meetup=meetup)):
        raise MeetingError(
            _(
                "Members ask for the joining link of %(meetings)s by writing to you, so "
                "messages stay on. Show those links publicly first (or cancel those "
                "meetings); nothing was changed."
            )
            % {"meetings": ", ".join(f"“{meeting_words.title(m)}”" for m in private)},
            field="accepts_messages",
        )
    with transaction.atomic():
        meetup.accepts_messages = accepts_messages
        meetup.save(update_fields=["accepts_messages", "updated_at"])
        if topics is not None:  # None: no topics were offered (none exist yet)
            meetup.topics.set(topics)
