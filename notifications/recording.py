"""Recording: `record_transition`, `record_comment` and `record_access_links` (called by the
receivers of intake's and reviews' signals, inside the announcing database transaction)
write one `Notification` row per recipient, with the message rendered then, and arrange for
delivery after commit. A rolled-back change therefore leaves no row and sends nothing."""

import datetime
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from common import transitions
from intake.models import Proposal, State
from intake.workflow import Transition

from .group_links import GROUP_LINK_PLACEHOLDER
from .models import Kind, Notification, Status
from .outbox import enqueue_after_commit
from .recipients import (
    MANAGER,
    ORGANIZER,
    REVIEWER,
    STAFF,
    _addresses_for,
    manager_addresses,
    organizer_addresses,
    participant_addresses,
)
from .rendering import LINK_PLACEHOLDER, MY_DATA_PLACEHOLDER, group_url, render_message

# The kind of email each transition sends. Who receives it is declared on the transition
# (its custom "emails", in priority order: someone who is both an organizer and a reviewer
# of a proposal gets only the organizer's message).
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
    messages: list[tuple[str, str, list[str]]],
    extra: dict,
    names: dict[str, str] | None = None,
    not_before=None,
) -> list[Notification]:
    """One row per recipient for `messages` [(kind, audience, addresses)], the first message
    naming an address winning; `names` adds names to greet people by. Delivery is arranged
    for after commit."""
    rows, taken = [], set()
    names = {
        **_names(proposal, [a for _, _, addresses in messages for a in addresses]),
        **(names or {}),
    }
    for kind, audience, addresses in messages:
        addresses = [a for a in addresses if a not in taken]
        if not addresses:
            continue
        rendered = {}  # one rendering per greeting, so people are greeted by name
        for address in addresses:
            taken.add(address)
            name = names.get(address, "")
            if name not in rendered:
                rendered[name] = render_message(
                    kind=kind,
                    audience=audience,
                    proposal=proposal,
                    extra={**extra, **_personal(proposal, name)},
                )
        rows += rows_for(
            event_key=event_key,
            kind=kind,
            proposal=proposal,
            audience=audience,
            rendered_by_address={a: rendered[names.get(a, "")] for a in addresses},
        )
    if not_before is not None:
        # Held: neither its task nor another's batch takes it before then; the outbox sweep
        # sends it once the time has come (notifications.outbox.sweep).
        for row in rows:
            row.next_attempt_at = not_before
    return save_rows(rows)


def notification_row(
    *, event_key: str, kind: str, proposal, recipient: str, audience: str, rendered: tuple
) -> Notification:
    """An unsaved outbox row for one recipient; `rendered` is (subject, text, html)."""
    subject, text, html = rendered
    return Notification(
        event_key=event_key,
        kind=kind,
        proposal=proposal,
        recipient=recipient,
        audience=audience,
        subject=subject,
        body_text=text,
        body_html=html,
    )


def rows_for(
    *, event_key: str, kind: str, proposal, audience: str, rendered_by_address: dict
) -> list[Notification]:
    """Unsaved rows for one message: {address: (subject, text, html)}."""
    return [
        notification_row(
            event_key=event_key,
            kind=kind,
            proposal=proposal,
            recipient=address,
            audience=audience,
            rendered=rendered,
        )
        for address, rendered in rendered_by_address.items()
    ]


def save_rows(rows: list[Notification]) -> list[Notification]:
    """Write the rows of one event or of many (in one INSERT) and arrange for their delivery
    after commit."""
    if not rows:
        return []
    keys = {row.event_key for row in rows}
    # ignore_conflicts keeps an event from ever yielding a second row for a recipient; the
    # rows are read back because bulk_create cannot return their ids then.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    saved = list(
        Notification.objects.filter(event_key__in=keys, status=Status.PENDING).order_by("pk")
    )
    enqueue_after_commit([n.pk for n in saved])
    return saved


def staff_names(addresses) -> dict[str, str]:
    """The name on each staff address's account: the full name, else the user name unless
    it is an address (add_staff names accounts by their email): then none, for a neutral
    greeting."""
    return {
        email.lower(): f"{first} {last}".strip() or ("" if "@" in username else username)
        for email, first, last, username in get_user_model()
        .objects.filter(is_active=True, email__in=addresses)
        .values_list("email", "first_name", "last_name", "username")
    }


def _names(proposal, addresses) -> dict[str, str]:
    """The name to greet each address by: organizers of `proposal` as they gave it, staff
    by the name on their account; anyone else is greeted without a name (never by their
    address's local part, which reads as a mistake: "Hello jane.doe,")."""
    names = staff_names(addresses)
    if proposal is not None:
        for organizer in proposal.organizers.all():
            names[organizer.email.strip().lower()] = organizer.name
    return names


def _personal(proposal, name: str) -> dict:
    """What an email says to one person: their name, and to a co-organizer who named them
    (the primary contact)."""
    context = {"greeting_name": name}
    primary = proposal.primary_contact if proposal is not None else None
    if primary is not None:
        context["primary_name"] = primary.name
        context["is_primary"] = name == primary.name
    return context


def record_transition(*, proposal, record) -> list[Notification]:
    """The emails for one state change (an intake.ProposalTransition `record`)."""
    name = record.transition
    kind = TRANSITION_KINDS[name]
    participants_only = name == Transition.RESUBMIT
    automatic = record.actor_label == "Automatic"
    audiences = list(transitions.facts(Proposal, "state", name)["emails"])
    if name == Transition.WITHDRAW and record.from_state == State.DRAFT:
        # Reviewers never saw a draft, so its withdrawal is not news to them.
        audiences = [a for a in audiences if a == ORGANIZER]
    if name == Transition.WITHDRAW and automatic:
        # The organizers get their own email about it (stale_withdrawn, reminders).
        audiences = [a for a in audiences if a != ORGANIZER]
    messages = [
        (kind, audience, _addresses_for(audience, proposal, participants_only=participants_only))
        for audience in audiences
    ]
    if name == Transition.RESUBMIT:
        # Any organizer may resubmit from the shared link: the others are told.
        messages.append((kind, ORGANIZER, organizer_addresses(proposal)))
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
            extra["group_manage_link"] = GROUP_LINK_PLACEHOLDER.format(
                meetup_id=meetup.pk, page="manage"
            )
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
        not_before=timezone.now() + hold if kind == Kind.REVIEWED and hold else None,
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
    who took part, a staff comment shared with the organizers goes to them, an internal
    comment to no one."""
    proposal = comment.proposal
    if comment.by_organizers:
        # Staff who took part, and every organizer: one of them wrote it from the shared
        # link, and the others should know what was said in the group's name.
        messages = [
            (Kind.ORGANIZER_REPLY, REVIEWER, participant_addresses(proposal)),
            (Kind.ORGANIZER_REPLY, ORGANIZER, organizer_addresses(proposal)),
        ]
    elif comment.is_shared:
        messages = [(Kind.COMMENT_SHARED, ORGANIZER, organizer_addresses(proposal))]
    else:
        return []
    return _record(
        event_key=f"comment:{comment.pk}",
        proposal=proposal,
        messages=messages,
        extra={"comment": comment.body},
    )


def record_access_links(*, email: str, proposals) -> list[Notification]:
    """The "find my proposals" email: a fresh private link for each proposal. `proposals` are
    those naming `email` (intake.services selects them by it); each link is checked again
    when the email is sent, so only an organizer of the proposal gets a working one."""
    email = email.strip().lower()
    links = [(p, LINK_PLACEHOLDER.format(proposal_id=p.pk, page="status")) for p in proposals]
    if not links:
        return []
    return _record(
        event_key=f"access-links:{uuid.uuid4().hex}",
        proposal=None,
        messages=[(Kind.ACCESS_LINKS, ORGANIZER, [email])],
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
    Nobody is greeted by name (the names are gone); once sent or failed for good, the row forgets the address
    too (delivery.forget_when_finished)."""
    rendered = render_message(
        kind=Kind.DATA_ERASED,
        audience=ORGANIZER,
        proposal=None,
        extra={"reference": reference, "erased_at": erased_at},
    )
    return save_rows(
        rows_for(
            event_key=f"data-erased:{reference}",
            kind=Kind.DATA_ERASED,
            proposal=None,
            audience=ORGANIZER,
            rendered_by_address={a: rendered for a in dict.fromkeys(addresses) if a},
        )
    )


def record_introduction(*, request) -> list[Notification]:
    """Someone asks to be put in touch with the organizers of an unnamed proposal
    (intake.introductions): every program manager is told, with their details."""
    return _record(
        event_key=f"introduction:{request.pk}",
        proposal=request.proposal,
        messages=[(Kind.INTRODUCTION, MANAGER, manager_addresses())],
        extra={
            "asker_name": request.name,
            "asker_email": request.email,
            "asker_message": request.message,
        },
    )


def record_my_data_link(*, email: str) -> list[Notification]:
    """The link to everything held about this address (intake.my_data), made when sent."""
    email = email.strip().lower()
    return _record(
        event_key=f"my-data:{uuid.uuid4().hex}",
        proposal=None,
        messages=[(Kind.MY_DATA_LINK, ORGANIZER, [email])],
        extra={"my_data_link": MY_DATA_PLACEHOLDER},
    )


def record_manager_alert(*, kind: str, event_key: str, extra: dict) -> list[Notification]:
    """An email to every program manager about the system itself (beat stopped or back),
    once per event key, in the caller's transaction."""
    return _record(
        event_key=event_key,
        proposal=None,
        messages=[(kind, MANAGER, manager_addresses())],
        extra=extra,
    )


# A draft's link goes to addresses typed on a public form: at most this many to one address
# in a day, so the form cannot be used to send someone the program's emails over and over.
DRAFT_EMAILS_PER_RECIPIENT_PER_DAY = 3


def record_draft_saved(*, proposal) -> list[Notification]:
    """A draft's private link, emailed to the primary contact (the first organizer, most
    likely the person filling in the form) when it is first saved, so "come back later" works
    without copying the address (the link is made when it is sent). Co-organizers hear of the
    proposal once it is sent; until then nobody else is emailed about a draft they may never
    have heard of."""
    primary = organizer_addresses(proposal)[:1]
    since = timezone.now() - datetime.timedelta(days=1)
    if not primary or (
        Notification.objects.filter(
            kind=Kind.DRAFT_SAVED, recipient__iexact=primary[0], created_at__gte=since
        ).count()
        >= DRAFT_EMAILS_PER_RECIPIENT_PER_DAY
    ):
        return []
    return _record(
        event_key=f"draft-saved:{proposal.pk}",
        proposal=proposal,
        messages=[(Kind.DRAFT_SAVED, ORGANIZER, primary)],
        extra={},
    )


def record_sign_in_alert(*, username: str, address: str, failures: int, window: int):
    """Tell a staff member that their account is being guessed (reviews.signals
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
            messages=[(Kind.SIGN_IN_GUESSED, STAFF, [user.email])],
            extra={"failures": failures, "address": address, "minutes": window // 60},
        )
