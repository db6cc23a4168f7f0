"""The people who keep a group's page: add and remove organizers (never below
MIN_ORGANIZERS), step down, invitations for imported groups, the links sent to them, and
the daily limits on the emails a page sends. Beside it: handovers (meetups.handovers), the
public details (meetups.group_details) and the yearly check-in (meetups.check_ins). Every
change is one transaction that locks the group and appends to its history
(meetups.lifecycle.record), which announces it to notifications."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from common import throttle

from . import lifecycle
from .models import EventKind, GroupContact, GroupLink, Handover, Meetup, MeetupOrganizer
from .naming import Role
from .signals import group_links_requested


class StewardshipError(Exception):
    """A change that cannot happen; the message is for the person who tried."""


def organizer_label(contact: GroupContact) -> str:
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


def lock_for_newcomer(meetup_pk: int, email: str) -> Meetup:
    """The group, locked, before someone new is emailed about keeping its page (added as an
    organizer, or named to take it over): refused when the address already keeps it, and
    the email counted under the day's limits (take_email_allowance)."""
    locked = lifecycle.lock_group(meetup_pk)
    if locked.contacts.filter(email__iexact=email).exists():
        raise StewardshipError(f"{email} is already an organizer of {locked.name}.")
    take_email_allowance(locked, email)
    return locked


def take_email_allowance(meetup: Meetup, email: str) -> None:
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
        locked = lock_for_newcomer(meetup.pk, email)
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
            kind=EventKind.INVITED if invite else EventKind.ORGANIZER_ADDED,
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
        take_email_allowance(locked, contact.email)
        GroupContact.objects.filter(pk=contact.pk).update(invited_at=timezone.now())
        lifecycle.record(
            meetup=locked,
            kind=EventKind.INVITED,
            actor=actor,
            details={"name": contact.name, "email": contact.email},
        )


def _withdrawn_with(locked: Meetup, contact: GroupContact) -> list[GroupContact]:
    """The people this organizer added who have not opened the page yet: their places
    leave with the organizer, or a removed organizer could come back through an address
    of their own."""
    return list(locked.contacts.filter(added_by=contact, claimed_at__isnull=True))


def end_links(contact: GroupContact, reason: str, handover: Handover | None = None) -> None:
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
        end_links(person, reason if person.pk == contact.pk else "removed")
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
        stepping_down = actor_label == organizer_label(contact)
        _remove(locked, contact, "stepped_down" if stepping_down else "removed")
        # The address, so the person removed is told (notifications.groups). The notice
        # counts under the same per-address limit as the other emails a page sends to
        # people (take_email_allowance): past it, the removal still happens and the others
        # are still told, but the address gets no more email today.
        details = {"name": contact.name, "email": contact.email}
        if not _take_recipient_allowance(contact.email):
            details["notice_withheld"] = True
        if withdrawn:
            details["withdrawn"] = [person.name for person in withdrawn]
        lifecycle.record(
            meetup=locked,
            kind=EventKind.ORGANIZER_REMOVED,
            actor=actor,
            actor_label=actor_label,
            note=note,
            details=details,
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
