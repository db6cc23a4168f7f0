"""What the people who keep a group's page do there, and what program managers do for
them: update the public details (published at once, each change in the history with its
diff; a manager can revert one), add and remove organizers (never below MIN_ORGANIZERS),
hand over to a named successor who accepts from their own email, step down, check in, and
for imported groups, invitations. Every change is one transaction that locks the group and
appends to its history (meetups.lifecycle.record), which announces it to notifications."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from common import throttle

from . import lifecycle
from .events import group_links_requested
from .listing import normalize_text
from .models import GroupContact, GroupLink, Handover, Meetup, MeetupEvent, MeetupOrganizer
from .naming import Role


class StewardshipError(Exception):
    """A change that cannot happen; the message is for the person who tried."""


# The public details organizers keep, with their labels for the history's diff.
DETAIL_FIELDS = {
    "description": "Public description",
    "url": "Web address",
    "meeting_details": "When and where the group meets",
}


def _organizer_label(contact: GroupContact) -> str:
    return f"Organizer {contact.name}"


EMAIL_WINDOW = 24 * 60 * 60


def _take_recipient_allowance(email: str) -> bool:
    """Count one email to this address about any group; False past
    GROUP_EMAILS_PER_RECIPIENT_PER_DAY."""
    return throttle.take(
        "group-email-to",
        email.lower(),
        limit=settings.GROUP_EMAILS_PER_RECIPIENT_PER_DAY,
        window=EMAIL_WINDOW,
    )


def _take_notice_allowance(meetup: Meetup, email: str) -> bool:
    """Count one notice (someone was added) to this address under the group's
    GROUP_EMAILS_PER_DAY and the address's GROUP_EMAILS_PER_RECIPIENT_PER_DAY; False, and
    nothing counted, past either."""
    if not throttle.take(
        "group-email", str(meetup.pk), limit=settings.GROUP_EMAILS_PER_DAY, window=EMAIL_WINDOW
    ):
        return False
    if not _take_recipient_allowance(email):
        throttle.give_back("group-email", str(meetup.pk), window=EMAIL_WINDOW)
        return False
    return True


def _give_back_notice(meetup: Meetup, email: str) -> None:
    """Undo one counted email to this address (an addition refused after all)."""
    throttle.give_back("group-email", str(meetup.pk), window=EMAIL_WINDOW)
    throttle.give_back("group-email-to", email.lower(), window=EMAIL_WINDOW)


def told_of_changes(meetup: Meetup):
    """The people a group's notices (an edit, someone added) go to: its organizers, less
    those an organizer added who have neither agreed to be named nor opened their page
    (agreeing is done from the page, so opening it is what counts). Otherwise every save or
    addition would carry an organizer's text to addresses they typed."""
    return meetup.contacts.exclude(claimed_at__isnull=True, added_by__isnull=False)


def _take_email_allowance(meetup: Meetup, email: str) -> None:
    """Count one email to someone outside the group (a handover offer, a welcome, an
    invitation), refused past GROUP_EMAILS_PER_DAY for the group or
    GROUP_EMAILS_PER_RECIPIENT_PER_DAY for the address. Called once the change is known to
    be valid, so a refused attempt costs nothing."""
    if not throttle.take(
        "group-email", str(meetup.pk), limit=settings.GROUP_EMAILS_PER_DAY, window=EMAIL_WINDOW
    ):
        raise StewardshipError(
            gettext(
                "This group's page has sent as many emails to new people as it may in a day "
                "(%(limit)s). Nothing was sent; please try again tomorrow."
            )
            % {"limit": settings.GROUP_EMAILS_PER_DAY}
        )
    if not _take_recipient_allowance(email):
        throttle.give_back("group-email", str(meetup.pk), window=EMAIL_WINDOW)
        raise StewardshipError(
            gettext(
                "%(email)s has been sent as many emails about groups as we send to one address "
                "in a day (%(limit)s). Nothing was sent; please try again tomorrow."
            )
            % {"email": email, "limit": settings.GROUP_EMAILS_PER_RECIPIENT_PER_DAY}
        )


def update_details(
    *,
    meetup: Meetup,
    actor,
    details: dict,
    actor_label: str | None = None,
    kind: str = "edit",
    note: str = "",
) -> MeetupEvent | None:
    """Publish new public details. Returns the history row with the diff, or None when
    nothing changed."""
    clean = {
        "description": normalize_text(details.get("description", "")),
        "url": (details.get("url") or "").strip(),
        "meeting_details": normalize_text(details.get("meeting_details", "")),
    }
    with transaction.atomic():
        locked = lifecycle.lock_group(meetup.pk)
        diff = {
            field: [getattr(locked, field), value]
            for field, value in clean.items()
            if field in details and getattr(locked, field) != value
        }
        if not diff:
            return None
        for field, (_before, after) in diff.items():
            setattr(locked, field, after)
        locked.save(update_fields=[*diff, "updated_at"])
        return lifecycle.record(
            meetup=locked, kind=kind, actor=actor, actor_label=actor_label, details=diff, note=note
        )


def revert_edit(*, event: MeetupEvent, actor) -> MeetupEvent | None:
    """A program manager puts back what one edit replaced."""
    if event.kind not in ("edit", "revert") or not event.details:
        raise StewardshipError("Only a change to the group's details can be reverted.")
    return update_details(
        meetup=event.meetup,
        actor=actor,
        details={field: before for field, (before, _after) in event.details.items()},
        kind="revert",
        note=f"Reverted the change of {timezone.localtime(event.created_at):%-d %B %Y, %H:%M}.",
    )


def add_organizer(
    *,
    meetup: Meetup,
    actor,
    name: str,
    email: str,
    show_publicly: bool,
    actor_label: str | None = None,
    invite: bool = False,
    added_by: GroupContact | None = None,
) -> GroupContact:
    """A new person keeps the group's page. They are emailed their private link (a welcome
    from organizers; an invitation when a program manager adds them with `invite`).
    `added_by` is the organizer who adds them: stepping down or being removed takes back
    the addition while the new person has not opened the page."""
    name, email = " ".join(name.split()), email.strip().lower()
    with transaction.atomic():
        locked = lifecycle.lock_group(meetup.pk)
        if locked.contacts.filter(email__iexact=email).exists():
            raise StewardshipError(f"{email} is already an organizer of {locked.name}.")
        _take_email_allowance(locked, email)
        # The others' notices count under the group's and each address's daily limits, as
        # the welcome does. Past them, whoever is over a limit is not emailed
        # (notifications.groups reads "notice_withheld_from", the people's ids: the history
        # keeps no more addresses than it did) -- but an organizer's addition that an
        # organizer who opened their page could not be told of is refused, or filler
        # additions could use up a co-organizer's emails and hide the next one.
        others = told_of_changes(locked)
        if added_by is not None:
            others = others.exclude(pk=added_by.pk)
        told, withheld = [], []
        for other in others:
            if _take_notice_allowance(locked, other.email.strip().lower()):
                told.append(other)
                continue
            withheld.append(other)
            if added_by is not None and other.claimed_at is not None:
                for address in [email, *(person.email.strip().lower() for person in told)]:
                    _give_back_notice(locked, address)
                raise StewardshipError(
                    gettext(
                        "%(group)s's emails to %(name)s are used up for today, and everyone "
                        "who keeps the page must hear of a new organizer. Nothing was changed; "
                        "please try again tomorrow or ask program staff."
                    )
                    % {"group": locked.name, "name": other.name}
                )
        position = max(locked.contacts.values_list("position", flat=True), default=-1) + 1
        try:
            with transaction.atomic():
                contact = GroupContact.objects.create(
                    meetup=locked,
                    name=name,
                    email=email,
                    position=position,
                    # Emailed their link now: a staff invitation or an organizer's welcome.
                    invited_at=timezone.now(),
                    added_by=added_by,
                    added_by_name=added_by.name if added_by else _adder_name(actor, actor_label),
                    # Named on the directory only once they confirm (meetups.consent).
                    name_pending=show_publicly,
                )
        except IntegrityError:
            raise StewardshipError(f"{email} is already an organizer of {locked.name}.") from None
        # "added": a new organizer (the others are told), not an invitation sent again.
        details = {"name": name, "email": email, "shown_publicly": show_publicly, "added": True}
        if withheld:
            details["notice_withheld_from"] = [other.pk for other in withheld]
        lifecycle.record(
            meetup=locked,
            kind="invited" if invite else "organizer_added",
            actor=actor,
            actor_label=actor_label,
            details=details,
        )
    return contact


def _adder_name(actor, actor_label: str | None) -> str:
    """The name to credit an addition to: the organizer or staff member who made it (none
    when the actor has no name of its own: "Organizer", "Automatic")."""
    label = actor_label or actor.label
    if label in ("Organizer", "Automatic", "Unknown", "Staff"):
        return ""
    return label.removeprefix("Organizer ").strip()[:200]


def invite(*, contact: GroupContact, actor) -> None:
    """Send (again) a program manager's invitation to claim the group's page."""
    with transaction.atomic():
        locked = lifecycle.lock_group(contact.meetup_id)
        _take_email_allowance(locked, contact.email)
        GroupContact.objects.filter(pk=contact.pk).update(invited_at=timezone.now())
        lifecycle.record(
            meetup=locked,
            kind="invited",
            actor=actor,
            details={"name": contact.name, "email": contact.email},
        )


def _withdrawn_with(locked: Meetup, contact: GroupContact) -> list[GroupContact]:
    """The people this organizer added who have not opened the page yet: their places
    leave with the organizer, or a removed organizer could come back through an address
    of their own."""
    return list(locked.contacts.filter(added_by=contact, claimed_at__isnull=True))


def _end_links(contact: GroupContact, reason: str, handover: Handover | None = None) -> None:
    """A person's links stop opening the group's page; they open a page saying why."""
    GroupLink.objects.filter(contact=contact).update(contact=None, handover=handover, ended=reason)


def _remove(locked: Meetup, contact: GroupContact, reason: str) -> None:
    # Their links stop opening the page (they open one saying why), and their name leaves
    # the directory. What they offered goes too: pending handovers are cancelled (their
    # accept links then open only a page saying the offer was withdrawn) and unopened
    # additions withdrawn.
    Handover.objects.filter(
        meetup=locked, from_contact=contact, status=Handover.Status.PENDING
    ).update(status=Handover.Status.CANCELLED, decided_at=timezone.now())
    for person in [*_withdrawn_with(locked, contact), contact]:
        _end_links(person, reason if person.pk == contact.pk else "removed")
        person.delete()
        MeetupOrganizer.objects.filter(meetup=locked, name=person.name).delete()
    locked.save(update_fields=["updated_at"])


def check_can_remove(meetup: Meetup, *, leaving: int = 1) -> None:
    """Refuse removing anyone when it would leave fewer than MIN_ORGANIZERS (`leaving`: the
    person and the people they added who have not opened the page yet, who leave with them)."""
    if meetup.contacts.count() - leaving < settings.MIN_ORGANIZERS:
        raise StewardshipError(
            f"{meetup.name} needs at least {settings.MIN_ORGANIZERS} organizers: add "
            "someone first, or hand over to a successor."
            + (
                " (The people they added who have not opened the page yet would leave with them.)"
                if leaving > 1
                else ""
            )
        )


def remove_organizer(
    *, contact: GroupContact, actor, actor_label: str | None = None, note: str = ""
) -> None:
    """Remove a person (or, their own, step down). Refused when it would leave fewer than
    MIN_ORGANIZERS people keeping the page."""
    with transaction.atomic():
        locked = lifecycle.lock_group(contact.meetup_id)
        contact = locked.contacts.filter(pk=contact.pk).first()
        if contact is None:
            raise StewardshipError("That person is no longer an organizer of this group.")
        withdrawn = _withdrawn_with(locked, contact)
        check_can_remove(locked, leaving=1 + len(withdrawn))
        stepping_down = actor_label == _organizer_label(contact)
        _remove(locked, contact, "stepped_down" if stepping_down else "removed")
        # The address, so the person removed is told (notifications.groups). The notice
        # counts under the same per-address limit as the other emails a page sends to
        # people (_take_email_allowance): past it, the removal still happens and the others
        # are still told, but the address gets no more email today.
        details = {"name": contact.name, "email": contact.email}
        if not _take_recipient_allowance(contact.email):
            details["notice_withheld"] = True
        if withdrawn:
            details["withdrawn"] = [person.name for person in withdrawn]
        lifecycle.record(
            meetup=locked,
            kind="organizer_removed",
            actor=actor,
            actor_label=actor_label,
            note=note,
            details=details,
        )


def offer_handover(
    *, contact: GroupContact, successor_name: str, successor_email: str, message: str = ""
) -> Handover:
    """Name a successor; they get an email with a link to accept. An earlier offer from the
    same person is cancelled."""
    name, email = " ".join(successor_name.split()), successor_email.strip().lower()
    with transaction.atomic():
        locked = lifecycle.lock_group(contact.meetup_id)
        if locked.contacts.filter(email__iexact=email).exists():
            raise StewardshipError(f"{email} is already an organizer of {locked.name}.")
        _take_email_allowance(locked, email)
        Handover.objects.filter(
            meetup=locked, from_contact=contact, status=Handover.Status.PENDING
        ).update(status=Handover.Status.CANCELLED, decided_at=timezone.now())
        handover = Handover.objects.create(
            meetup=locked,
            from_contact=contact,
            from_name=contact.name,
            successor_name=name,
            successor_email=email,
        )
        lifecycle.record(
            meetup=locked,
            kind="handover_offered",
            actor=_Organizer(),
            actor_label=_organizer_label(contact),
            note=message.strip(),
            details={
                "from_name": contact.name,
                "to_name": name,
                "email": email,
                "message": message.strip(),
            },
        )
    return handover


def cancel_handover(*, handover: Handover, actor, actor_label: str | None = None) -> None:
    """The organizer who offered a handover, or a program manager, takes it back: the
    successor's link stops opening it and they are told."""
    with transaction.atomic():
        locked = lifecycle.lock_group(handover.meetup_id)
        changed = Handover.objects.filter(pk=handover.pk, status=Handover.Status.PENDING).update(
            status=Handover.Status.CANCELLED, decided_at=timezone.now()
        )
        if not changed:
            raise StewardshipError("This handover was cancelled or has been accepted already.")
        lifecycle.record(
            meetup=locked,
            kind="handover_cancelled",
            actor=actor,
            actor_label=actor_label,
            details={
                "from_name": handover.from_name,
                "from_email": handover.from_contact.email if handover.from_contact else "",
                "to_name": handover.successor_name,
                "email": handover.successor_email,
            },
        )


def name_on_directory(locked: Meetup, name: str) -> None:
    """Show `name` among the group's organizers on the directory (once they agreed)."""
    people = list(locked.organizers.all())
    if any(p.name == name for p in people):
        return
    # Once several people are named, each is a co-organizer, as on the council's page.
    if len(people) == 1 and people[0].role_label == Role.ORGANIZER:
        MeetupOrganizer.objects.filter(pk=people[0].pk).update(role_label=Role.CO_ORGANIZER)
    MeetupOrganizer.objects.create(
        meetup=locked,
        name=name,
        role_label=Role.CO_ORGANIZER if people else Role.ORGANIZER,
        position=max((p.position for p in people), default=-1) + 1,
    )


def accept_handover(*, link: GroupLink, show_name: bool) -> GroupContact:
    """The successor accepts from their link: they keep the page in place of the person who
    named them, and the same link now opens the group's page for them. The former
    organizer's name leaves the directory; the successor's is shown only if they agree
    (`show_name`, the question co-organizers are asked)."""
    with transaction.atomic():
        locked = lifecycle.lock_group(link.meetup_id)
        handover = Handover.objects.select_for_update().get(pk=link.handover_id)
        if handover.status != Handover.Status.PENDING:
            raise StewardshipError("This handover was cancelled or has been accepted already.")
        former = locked.contacts.filter(pk=handover.from_contact_id).first()
        if former is None:
            # Whoever offered it no longer keeps the group, so has nothing to hand over;
            # the offer is closed (committed) and the successor told so.
            handover.status, handover.decided_at = Handover.Status.CANCELLED, timezone.now()
            handover.save(update_fields=["status", "decided_at"])
        else:
            successor = _take_over(locked, handover, former, link, show_name=show_name)
    if former is None:
        raise StewardshipError(
            gettext(
                "This handover was withdrawn: the person who offered it no longer keeps the group."
            )
        )
    return successor


def _take_over(
    locked: Meetup, handover: Handover, former: GroupContact, link, *, show_name: bool
) -> GroupContact:
    """In the caller's transaction, with the group locked: the successor takes the former
    organizer's place."""
    position = former.position
    successor, _ = GroupContact.objects.get_or_create(
        meetup=locked,
        email=handover.successor_email,
        defaults={
            "name": handover.successor_name,
            "position": position,
            "claimed_at": timezone.now(),
        },
    )
    _end_links(former, "handed_over", handover)
    former.delete()
    shown = MeetupOrganizer.objects.filter(meetup=locked, name=handover.from_name).first()
    if shown is not None and show_name:
        shown.name = handover.successor_name  # in the former organizer's place
        shown.save(update_fields=["name"])
    elif shown is not None:
        shown.delete()
    elif show_name:
        name_on_directory(locked, handover.successor_name)
    locked.save(update_fields=["updated_at"])
    handover.status, handover.decided_at = Handover.Status.ACCEPTED, timezone.now()
    handover.save(update_fields=["status", "decided_at"])
    GroupLink.objects.filter(pk=link.pk).update(contact=successor)
    lifecycle.record(
        meetup=locked,
        kind="handover_accepted",
        actor=_Organizer(),
        actor_label=f"Organizer {successor.name}",
        details={
            "from_name": handover.from_name,
            "to_name": successor.name,
            "former_email": former.email,
            "shown_publicly": show_name,
        },
    )
    return successor


@dataclass(frozen=True)
class _Organizer:
    """An organizer acting through their private link (the lifecycle's actor protocol)."""

    system: bool = False
    organizer: bool = True
    is_program_manager: bool = False
    user: object = None
    label: str = "Organizer"


ORGANIZER = _Organizer()


class CheckInAnswered(lifecycle.LifecycleNotAvailable):
    """The check-in was answered already; the next one is not open yet."""


@dataclass
class CheckInAnswers:
    still_meeting: bool
    meetings_held: int | None
    last_meeting_on: object  # a date or None
    organizers_right: bool
    updates: str = ""

    def as_details(self) -> dict:
        return {
            "still_meeting": self.still_meeting,
            "meetings_held": self.meetings_held,
            "last_meeting_on": self.last_meeting_on.isoformat() if self.last_meeting_on else None,
            "organizers_right": self.organizers_right,
            "updates": self.updates,
        }


def check_in(*, meetup: Meetup, contact: GroupContact, answers: CheckInAnswers, now=None) -> Meetup:
    """The yearly check-in: a group still meeting is active again, with its next check-in a
    year on; one that has stopped is closed (archived). Raises lifecycle.LifecycleError,
    also when the check-in is answered already (a second send changes and sends nothing)."""
    with transaction.atomic():
        locked = lifecycle.lock_group(meetup.pk)
        if lifecycle.check_in_answered(locked):
            raise CheckInAnswered(
                gettext("This year's check-in is done already: nothing was sent again.")
            )
        return lifecycle.perform(
            meetup=meetup,
            name="check_in" if answers.still_meeting else "retire",
            actor=ORGANIZER,
            actor_label=_organizer_label(contact),
            note=answers.updates.strip(),
            details=answers.as_details(),
            now=now,
        )


def send_group_links(*, email: str) -> int:
    """ "Find my proposal" also sends links to the groups whose page this address keeps
    (notifications records the email, in the caller's transaction). Returns how many."""
    email = email.strip().lower()
    groups = list(
        Meetup.objects.filter(contacts__email__iexact=email).distinct().order_by("name", "pk")
    )
    if groups:
        group_links_requested.send(sender=Meetup, email=email, meetups=groups)
        # Their link is on its way, so the staff page no longer says "not yet invited".
        GroupContact.objects.filter(email__iexact=email, invited_at__isnull=True).update(
            invited_at=timezone.now()
        )
    return len(groups)
