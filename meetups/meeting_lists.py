"""What the public pages show of meetings: a group's next dates, each listed group's next
meeting on the directory, the coming weeks across groups on the home page, and the
directory's search and filters (also /meetups.json's).

"Next" is counted from the start of today (local): the pages are kept for the day
(meetups.cache.dated_state), so a meeting stays listed on its own day and every process
shows the same."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from common.forms import has_control_characters, printable

from .meetings import public_meetings, receives_messages, shows_meetings
from .models import Place, Topic
from .schedule import next_meeting, upcoming

UPCOMING_ON_PAGE = 6
SOON_DAYS = 30
HOME_WEEKS = 4


def start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))


def meeting_context(meetup) -> dict:
    shown = shows_meetings(meetup)
    meetings = list(public_meetings(meetup=meetup)) if shown else []
    return {
        "shows_meetings": shown,
        "upcoming": upcoming(meetings, now=start_of_today())[:UPCOMING_ON_PAGE],
        "feed_path": meetup.feed_url(),
        "receives_messages": receives_messages(meetup),
    }


def meetings_by_group() -> dict[int, list]:
    by_group = defaultdict(list)
    for meeting in public_meetings():
        by_group[meeting.meetup_id].append(meeting)
    return by_group


def next_by_group(by_group: dict[int, list] | None = None) -> dict[int, object]:
    """Each group's next meeting that takes place (groups without one are left out)."""
    now = start_of_today()
    found = {}
    by_group = meetings_by_group() if by_group is None else by_group
    for meetup_id, meetings in by_group.items():
        occ = next_meeting(meetings, now=now)
        if occ is not None:
            found[meetup_id] = occ
    return found


def coming_weeks(*, weeks: int = HOME_WEEKS) -> list:
    """Every group's meetings in the coming weeks, soonest first (the home page)."""
    meetings = [m for group in meetings_by_group().values() for m in group]
    return upcoming(meetings, now=start_of_today(), days=weeks * 7)


FORMAT_VALUES = ("in_person", "online", "both")
FORMATS = {"in_person": {Place.IN_PERSON, Place.HYBRID}, "online": {Place.ONLINE, Place.HYBRID}}


def renamed_topic(slug: str) -> str:
    """The address now of a topic that had `slug` before a rename, or ""."""
    for topic in Topic.objects.all():  # a handful, kept by program managers
        if slug in topic.former_slugs:
            return topic.slug
    return ""


@dataclass(frozen=True)
class Filters:
    words: str = ""
    topic: str = ""
    format: str = ""  # "", "in_person", "online", "both"
    soon: bool = False
    # What was left out, in words for the person who asked (an old or unknown topic, a
    # format that does not exist): the page says so, the JSON answers 400 with it.
    unknown: tuple[str, ...] = ()
    # The topic's address now, when the one asked for is from before a rename.
    renamed_to: str = ""

    @classmethod
    def from_query(cls, query) -> "Filters":
        """From GET parameters; a value that names nothing is left out and said in
        `unknown`."""
        # Words are matched in Python: a control character in them is only taken out.
        words = " ".join(printable(str(query.get("q", ""))).replace("\ufffd", " ").split())
        words = words[:100]
        fmt = str(query.get("format", ""))[:60]
        topic = str(query.get("topic", ""))[:60]
        unknown = []
        renamed_to = ""
        # A control character names no topic (and PostgreSQL cannot look up a NUL): unknown.
        named = topic and not has_control_characters(topic)
        if named and not Topic.objects.filter(slug=topic).exists():
            renamed_to = renamed_topic(topic)
        if topic and not renamed_to and not (named and Topic.objects.filter(slug=topic).exists()):
            unknown.append(
                _(
                    "There is no topic called “%(topic)s” (it may have been renamed or "
                    "removed), so the list is not filtered by topic."
                )
                % {"topic": printable(topic)}
            )
            topic = ""
        if fmt and fmt not in FORMAT_VALUES:
            unknown.append(
                _(
                    "“%(format)s” is not a way of meeting here (in_person, online or both), "
                    "so the list is not filtered by how groups meet."
                )
                % {"format": printable(fmt)}
            )
            fmt = ""
        return cls(
            words=words,
            topic=topic,
            format=fmt,
            soon=query.get("soon") in ("1", "on", "true"),
            unknown=tuple(unknown),
            renamed_to=renamed_to,
        )

    @property
    def active(self) -> bool:
        return bool(self.words or self.topic or self.format or self.soon)

    @property
    def no_match(self) -> str:
        """What the empty list says: the filters given, in words."""
        given = []
        if self.words:
            given.append(_("the words “%(words)s”") % {"words": self.words})
        if self.topic:
            topic = Topic.objects.filter(slug=self.topic).first()
            given.append(_("the topic %(topic)s") % {"topic": topic.name if topic else self.topic})
        if self.format:
            given.append(
                {
                    "in_person": _("meeting in person"),
                    "online": _("meeting online"),
                    "both": _("meeting both in person and online"),
                }[self.format]
            )
        if self.soon:
            given.append(_("meeting in the next %(days)s days") % {"days": SOON_DAYS})
        if len(given) == 1 and self.soon:
            return _("No group has a meeting in the next %(days)s days.") % {"days": SOON_DAYS}
        if len(given) == 1:
            return _("No group matches %(filter)s.") % {"filter": given[0]}
        return _("No group matches all of these: %(filters)s. Leave one out to see more.") % {
            "filters": "; ".join(given)
        }

    @property
    def key(self) -> str:
        return f"{self.topic}|{self.format}|{int(self.soon)}"


def apply(groups, filters: Filters, *, by_group=None, nexts=None) -> list:
    """The groups that match every filter given."""
    groups = list(groups)
    if not filters.active:
        return groups
    by_group = meetings_by_group() if by_group is None else by_group
    if filters.soon:
        nexts = next_by_group(by_group) if nexts is None else nexts
        horizon = start_of_today() + timedelta(days=SOON_DAYS + 1)
    words = filters.words.casefold().split()
    kept = []
    for meetup in groups:
        text = f"{meetup.name} {meetup.description}".casefold()
        if any(w not in text for w in words):
            continue
        if filters.topic and filters.topic not in {t.slug for t in meetup.topics.all()}:
            continue
        if filters.format:
            places = {m.place for m in by_group.get(meetup.pk, ())}
            if filters.format == "both":
                # A hybrid meeting is both; so are a group's in-person and online meetings.
                hybrid = Place.HYBRID in places or {Place.IN_PERSON, Place.ONLINE} <= places
                if not hybrid:
                    continue
            elif not places & FORMATS[filters.format]:
                continue
        if filters.soon:
            occ = nexts.get(meetup.pk)
            if occ is None or occ.start >= horizon:
                continue
        kept.append(meetup)
    return kept
