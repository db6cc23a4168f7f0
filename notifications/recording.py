"""The emails about proposals and people's requests: `record_transition`, `record_comment`,
`record_access_links` and the others (called by the receivers of intake's, reviews' and
accounts' signals, inside the announcing database transaction) record them through
notifications.emails, as their entries in notifications.kinds say."""

import datetime
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from intake.models import State
from intake.workflow import Transition

from . import emails
from .emails import Message
from .kinds import KINDS
from .links import MY_DATA_PLACEHOLDER, group_link, group_url, proposal_link
from .models import Kind, Notification, Status
from .recipients import ORGANIZER, greeting_names
from .rendering import proposal_context

# The kind of email each transition sends; who receives it is the kind's entry in
# notifications.kinds (the audiences the transition declares, in priority order: someone
# who is both an organizer and a reviewer of a proposal gets only the organizer's message).
TRANSITION_KINDS = {
    Transition.SUBMIT: Kind.SUBMITTED,
    Transition.COMPLETE_REVIEW: Kind.REVIEWED,
    Transition.REQUEST_CHANGES: Kind.CHANGES_REQUESTED,
    Transition.RESUBMIT: Kind.RESUBMITTED,
    Transition.APPROVE: Kind.APPROVED,
    Transition.DECLINE: Kind.DECLINED,
    Transition.WITHDRAW: Kind.WITHDRAWN,
}


def _record(
    *,
    event_key: str,
    proposal,
    messages: list[Message],
    extra: dict,
    names: dict[str, str] | None = None,
    not_before=None,
) -> list[Notification]:
    """Record one event's messages about `proposal` (or none), greeting each person by
    name (`names` adds names)."""
    addresses = [a for m in messages for a in m.addresses]
    if not addresses:
        return []
    names = {**greeting_names(proposal, addresses), **(names or {})}
    context = {**(proposal_context(proposal) if proposal is not None else {}), **extra}
    primary = proposal.primary_contact if proposal is not None else None
    return emails.record(
        event_key=event_key,
        proposal=proposal,
        messages=messages,
        context=context,
        personal=lambda address: _personal(primary, names.get(address, "")),
        not_before=not_before,
    )


def _personal(primary, name: str) -> dict:
    """What an email says to one person: their name, and to a co-organizer who named them
    (the primary contact)."""
    context = {"greeting_name": name}
    if primary is not None:
        context["primary_name"] = primary.name
        context["is_primary"] = name == primary.name
    return context


def record_transition(*, proposal, record) -> list[Notification]:
    """The emails for one state change (an intake.ProposalTransition `record`)."""
    name = record.transition
    kind = TRANSITION_KINDS.get(name)
    if kind is None:
        return []  # a transition that emails nobody (its "emails" fact is empty)
    automatic = record.actor_label == "Automatic"
    audiences = list(KINDS[kind].audiences)
    if name == Transition.WITHDRAW and record.from_state == State.DRAFT:
        # Reviewers never saw a draft, so its withdrawal is not news to them.
        audiences = [a for a in audiences if a == ORGANIZER]
    if name == Transition.WITHDRAW and automatic:
        # The organizers get their own email about it (stale_withdrawn, reminders).
        audiences = [a for a in audiences if a != ORGANIZER]
    messages = emails.messages(kind, audiences=audiences, proposal=proposal)
    # An automatic withdrawal (organizers never answered) is told as such.
    extra = {
        "note": record.note,
        "automatic": automatic,
        "was_draft": record.from_state == State.DRAFT,
    }
    if name == Transition.REQUEST_CHANGES:
        # The day it is withdrawn if nobody answers (reviews.reminders), from this request.
        extra["withdraw_on"] = timezone.localdate(
            record.created_at + timedelta(days=settings.STALE_WITHDRAW_DAYS)
        )
    if name == Transition.APPROVE:
        extra["group_link"] = group_url(proposal)
        meetup = getattr(proposal, "meetup", None)
        if meetup is not None:
            # The organizers' private page of the new group, made when the email is sent.
            extra["group_manage_link"] = group_link(meetup.pk, "manage")
            extra["first_check_in"] = meetup.check_in_due_on
            extra["check_in_notice_days"] = settings.CHECK_IN_NOTICE_DAYS
            # Without a public description the directory shows only the name: ask for one.
            extra["has_public_description"] = bool(meetup.description.strip())
            # Co-organizers asked to be named, who confirm on that page (meetups.consent).
            extra["pending_names"] = list(
                meetup.contacts.filter(name_pending=True).values_list("name", flat=True)
            )
    # A "reviewed" email is held a while; a later change of the proposal replaces it.
    replace_held_reviewed(proposal=proposal)
    hold = timedelta(minutes=settings.REVIEWED_EMAIL_HOLD_MINUTES)
    return _record(
        event_key=f"transition:{record.pk}",
        proposal=proposal,
        messages=messages,
        extra=extra,
        not_before=timezone.now() + hold if KINDS[kind].held and hold else None,
    )


def replace_held_reviewed(*, proposal) -> int:
    """Mark this proposal's held "reviewed" emails, not yet tried, as replaced (the decision
    that follows says more): shown in the outbox, never sent. One conditional UPDATE, so a
    row a worker has claimed meanwhile (attempts > 0) is left to it. Returns how many."""
    return Notification.objects.filter(
        proposal=proposal,
        kind=Kind.REVIEWED,
        status=Status.PENDING,
        attempts=0,
        next_attempt_at__gt=timezone.now(),
    ).update(status=Status.REPLACED, last_error="Replaced by a later email on the same proposal.")


def record_comment(*, comment) -> list[Notification]:
    """The emails for a new comment (reviews.Comment): an organizers' reply goes to the staff
    who took part and to every organizer (one of them wrote it from the shared link, and the
    others should know what was said in the group's name), a staff comment shared with the
    organizers goes to them, an internal comment to no one."""
    proposal = comment.proposal
    if comment.by_organizers:
        kind = Kind.ORGANIZER_REPLY
    elif comment.is_shared:
        kind = Kind.COMMENT_SHARED
    else:
        return []
    return _record(
        event_key=f"comment:{comment.pk}",
        proposal=proposal,
        messages=emails.messages(kind, proposal=proposal),
        extra={"comment": comment.body},
    )


def record_access_links(*, email: str, proposals) -> list[Notification]:
    """The "find my proposals" email: a fresh private link for each proposal. `proposals` are
    those naming `email` (intake.services selects them by it); each link is checked again
    when the email is sent, so only an organizer of the proposal gets a working one."""
    email = email.strip().lower()
    links = [(p, proposal_link(p.pk, "status")) for p in proposals]
    if not links:
        return []
    return _record(
        event_key=f"access-links:{uuid.uuid4().hex}",
        proposal=None,
        messages=emails.messages(Kind.ACCESS_LINKS, named=[email]),
        extra={"links": links},
        names={email: _name_on_proposals(email, proposals)},
    )


def _name_on_proposals(email: str, proposals) -> str:
    """The name this address's organizer gave on these proposals (the latest first)."""
    for proposal in sorted(proposals, key=lambda p: p.pk, reverse=True):
        for organizer in proposal.organizers.all():
            if organizer.email.strip().lower() == email and organizer.name.strip():
                return organizer.name.strip()
    return ""


def record_data_erased(*, reference: str, erased_at, addresses: list[str]) -> list[Notification]:
    """Tell a proposal's organizers that its personal data was erased (intake.erasure).
    Nobody is greeted by name (the names are gone); once sent or failed for good, the row
    forgets the address too (delivery.forget_when_finished)."""
    return emails.record(
        event_key=f"data-erased:{reference}",
        messages=emails.messages(Kind.DATA_ERASED, named=addresses),
        context={"reference": reference, "erased_at": erased_at},
    )


def record_introduction(*, request) -> list[Notification]:
    """Someone asks to be put in touch with the organizers of an unnamed proposal
    (intake.introductions): every program manager is told, with their details."""
    return _record(
        event_key=f"introduction:{request.pk}",
        proposal=request.proposal,
        messages=emails.messages(Kind.INTRODUCTION),
        extra={
            "asker_name": request.name,
            "asker_email": request.email,
            "asker_message": request.message,
        },
    )


def record_my_data_link(*, email: str) -> list[Notification]:
    """The link to everything held about this address (intake.my_data), made when sent."""
    return _record(
        event_key=f"my-data:{uuid.uuid4().hex}",
        proposal=None,
        messages=emails.messages(Kind.MY_DATA_LINK, named=[email]),
        extra={"my_data_link": MY_DATA_PLACEHOLDER},
    )


def record_manager_alert(*, kind: str, event_key: str, extra: dict) -> list[Notification]:
    """An email to every program manager about the system itself (beat stopped or back),
    once per event key, in the caller's transaction."""
    return _record(event_key=event_key, proposal=None, messages=emails.messages(kind), extra=extra)


# A draft's link goes to addresses typed on a public form: at most this many to one address
# in a day, so the form cannot be used to send someone the program's emails over and over.
DRAFT_EMAILS_PER_RECIPIENT_PER_DAY = 3


def record_draft_saved(*, proposal) -> list[Notification]:
    """A draft's private link, emailed to the primary contact (the first organizer, most
    likely the person filling in the form) when it is first saved, so "come back later" works
    without copying the address (the link is made when it is sent). Co-organizers hear of the
    proposal once it is sent; until then nobody else is emailed about a draft they may never
    have heard of."""
    messages = emails.messages(Kind.DRAFT_SAVED, proposal=proposal)
    since = timezone.now() - datetime.timedelta(days=1)
    primary = messages[0].addresses
    if not primary or (
        Notification.objects.filter(
            kind=Kind.DRAFT_SAVED, recipient__iexact=primary[0], created_at__gte=since
        ).count()
        >= DRAFT_EMAILS_PER_RECIPIENT_PER_DAY
    ):
        return []
    return _record(
        event_key=f"draft-saved:{proposal.pk}", proposal=proposal, messages=messages, extra={}
    )


def record_sign_in_alert(*, username: str, address: str, failures: int, window: int):
    """Tell a staff member that their account is being guessed (accounts.signals
    sign_in_throttled). One email per account and throttle window: the event key names the
    window, and the outbox keeps one row per event and recipient."""
    user = (
        get_user_model()
        .objects.filter(is_active=True, email__iexact=username)
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    if user is None:
        return []  # no such account: nobody to tell, and nothing to reveal
    with transaction.atomic():
        return _record(
            event_key=f"sign-in-guessed:{user.pk}:{int(time.time() // window)}",
            proposal=None,
            messages=emails.messages(Kind.SIGN_IN_GUESSED, named=[user.email]),
            extra={"failures": failures, "address": address, "minutes": window // 60},
        )
