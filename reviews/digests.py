"""What goes in each staff member's weekly digest.

Reviewers get the proposals waiting for their review (the queue's "waiting for my review",
overdue first); program managers get the reviewed proposals waiting for a decision. One
digest per person with both lists when they hold both roles; nobody gets an empty one, and
nobody who turned digests off on their settings page. Sending (once per week, whatever
beat does) is the notifications app's job: it asks this module for the lists.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP, user_roles
from intake.models import Organizer, Proposal, State

from . import queue
from .models import DigestPreference

# A digest lists at most this many proposals per list, then says how many more wait.
DIGEST_LIST_LIMIT = 30


@dataclass
class Digest:
    user: object
    to_review: list[Proposal] = field(default_factory=list)
    to_review_more: int = 0
    to_decide: list[Proposal] = field(default_factory=list)
    to_decide_more: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.to_review or self.to_decide)


def digest_period(now: datetime.datetime) -> str:
    """The week a digest belongs to, in the program's time zone (ISO week: 2026-W49)."""
    year, week, _ = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"


def is_digest_time(now: datetime.datetime) -> bool:
    """On DIGEST_WEEKDAY, from DIGEST_HOUR (local time) on."""
    local = timezone.localtime(now)
    return local.weekday() == settings.DIGEST_WEEKDAY and local.hour >= settings.DIGEST_HOUR


def wants_digest(user) -> bool:
    pref = DigestPreference.objects.filter(user=user).first()
    return pref is None or pref.wants_digest


def set_digest_preference(*, user, wants_digest: bool) -> DigestPreference:
    pref, _ = DigestPreference.objects.update_or_create(
        user=user, defaults={"wants_digest": wants_digest}
    )
    return pref


def _by_due_date(proposals):
    # Overdue first: the earliest promised date is the most overdue.
    return proposals.order_by(F("reply_due").asc(nulls_last=True), "submitted_at", "pk")


def _limited(queryset) -> tuple[list, int]:
    rows = list(queryset[: DIGEST_LIST_LIMIT + 1])
    if len(rows) <= DIGEST_LIST_LIMIT:
        return rows, 0
    return rows[:DIGEST_LIST_LIMIT], queryset.count() - DIGEST_LIST_LIMIT


def digest_for(user) -> Digest:
    roles = user_roles(user)
    digest = Digest(user=user)
    if REVIEWERS_GROUP in roles:
        waiting = queue.proposals(
            user=user, filters=queue.QueueFilters(waiting_for_me=True, sort="due")
        )
        # Only proposals still short of reviews: a reviewed one waits for a decision.
        waiting = waiting.filter(state=State.SUBMITTED)
        digest.to_review, digest.to_review_more = _limited(_by_due_date(waiting))
    if PROGRAM_MANAGERS_GROUP in roles:
        to_decide = queue.visible_to_staff().filter(state=State.REVIEWED)
        email = (user.email or "").strip()
        if email:  # nobody decides a proposal they organize
            to_decide = to_decide.exclude(
                Exists(Organizer.objects.filter(proposal=OuterRef("pk"), email__iexact=email))
            )
        digest.to_decide, digest.to_decide_more = _limited(_by_due_date(to_decide))
    return digest


def staff_for_digests():
    """Active staff with an address who have not turned digests off."""
    turned_off = DigestPreference.objects.filter(user=OuterRef("pk"), wants_digest=False)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(groups__name__in=(REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP)) | Q(is_superuser=True)
        )
        .exclude(Exists(turned_off))
        .distinct()
        .order_by("pk")
    )


def digests(*, exclude_user_ids=()) -> list[Digest]:
    """Every digest to send now: one per person who wants one and has something in it
    (leaving out `exclude_user_ids`, who already have theirs)."""
    result = []
    for user in staff_for_digests().exclude(pk__in=list(exclude_user_ids)):
        digest = digest_for(user)
        if not digest.is_empty:
            result.append(digest)
    return result
