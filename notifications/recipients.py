"""Who receives what: `resolve` turns a recipients rule (notifications.kinds names one per
audience of every email kind) into addresses, lower case, without blanks or repeats, and
`greeting_names` gives the name to greet each by. An `AddressBook` remembers what it read,
so the emails of many events (the nightly pass) cost a few queries whatever their number."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.roles import PROGRAM_MANAGERS_GROUP, REVIEWERS_GROUP
from intake.models import ProposalTransition
from intake.workflow import Transition
from meetups.models import GroupContact
from meetups.stewardship import told_of_changes
from reviews.models import Comment, Review

# Audiences: which version of an email someone gets.
ORGANIZER = "organizer"
REVIEWER = "reviewer"
MANAGER = "manager"
STAFF = "staff"

# Recipients rules.
PROPOSAL_ORGANIZERS = "the proposal's organizers"
PRIMARY_CONTACT = "the proposal's primary contact"
REVIEWERS = "the Reviewers group"
MANAGERS = "the program managers"
PARTICIPANTS = "staff who took part in the proposal"
GROUP_ORGANIZERS = "the group's organizers"
# The addresses the event names (the person who asked, the successor named, ...).
NAMED = "the addresses the event names"


def clean_addresses(addresses) -> list[str]:
    seen, result = set(), []
    for address in addresses:
        address = (address or "").strip().lower()
        if address and address not in seen:
            seen.add(address)
            result.append(address)
    return result


def _group_addresses(group: str) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=group).order_by("pk")
    return clean_addresses(users.values_list("email", flat=True))


def _participant_addresses(proposal) -> list[str]:
    """Active staff who took part: wrote a review, a comment, a request for changes (a
    message to the organizers, so its author wants to see the answer) or the approval
    (organizers write to staff after it too)."""
    took_part = (
        Q(
            pk__in=ProposalTransition.objects.filter(
                proposal=proposal,
                transition__in=(Transition.REQUEST_CHANGES, Transition.APPROVE),
            ).values("actor")
        )
        | Q(pk__in=Review.objects.filter(proposal=proposal).values("reviewer"))
        | Q(pk__in=Comment.objects.filter(proposal=proposal).values("author"))
    )
    # Only people who are still staff: someone whose role was removed gets nothing more.
    users = (
        get_user_model()
        .objects.filter(took_part, is_active=True)
        .filter(
            Q(groups__name__in=(REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP)) | Q(is_superuser=True)
        )
        .distinct()
        .order_by("pk")
    )
    return clean_addresses(users.values_list("email", flat=True))


class AddressBook:
    """The addresses read so far: the organizers of groups (of many at once with
    `of_groups`, in one query) and the program managers, each read once when first needed."""

    def __init__(self, contacts_by_group: dict[int, list[tuple[str, str]]] | None = None):
        self._contacts = contacts_by_group or {}
        self._managers = None
        self._manager_names = None

    @classmethod
    def of_groups(cls, meetup_ids) -> "AddressBook":
        by_group = {pk: [] for pk in meetup_ids}
        contacts = GroupContact.objects.filter(meetup_id__in=by_group).order_by(
            "meetup_id", "position", "id"
        )
        for meetup_id, email, name in contacts.values_list("meetup_id", "email", "name"):
            by_group[meetup_id].append((email.strip().lower(), name))
        return cls(by_group)

    def people(self, meetup) -> list[tuple[str, str]]:
        """(address, name) of each organizer of a group, in the page's order."""
        if meetup.pk not in self._contacts:
            self._contacts[meetup.pk] = [
                (email.strip().lower(), name)
                for email, name in meetup.contacts.values_list("email", "name")
            ]
        return self._contacts[meetup.pk]

    def managers(self) -> list[str]:
        if self._managers is None:
            self._managers = _group_addresses(PROGRAM_MANAGERS_GROUP)
        return self._managers

    def group_names(self, meetup) -> dict[str, str]:
        """The name to greet each address by: organizers as they keep the page, staff by
        their account's name."""
        if self._manager_names is None:
            self._manager_names = staff_names(self.managers())
        return {**self._manager_names, **dict(self.people(meetup))}


def resolve(
    rule: str, *, proposal=None, meetup=None, named=(), book: AddressBook | None = None
) -> list[str]:
    """The addresses a recipients rule names, for the proposal or group an email is about
    (`named`: the addresses the event itself names, for NAMED)."""
    book = book or AddressBook()
    if rule == PROPOSAL_ORGANIZERS:
        return clean_addresses(o.email for o in proposal.organizers.all())
    if rule == PRIMARY_CONTACT:
        return clean_addresses(o.email for o in proposal.organizers.all())[:1]
    if rule == REVIEWERS:
        # Program managers who want every new proposal by email are in that group too; the
        # role alone sends them only what they decide.
        return _group_addresses(REVIEWERS_GROUP)
    if rule == MANAGERS:
        return book.managers()
    if rule == PARTICIPANTS:
        return _participant_addresses(proposal)
    if rule == GROUP_ORGANIZERS:
        return clean_addresses(email for email, _name in book.people(meetup))
    if rule == NAMED:
        return clean_addresses(named)
    raise ValueError(f"Unknown recipients rule: {rule}")


def engaged_organizers(meetup) -> list[str]:
    """A group's organizers, less those another organizer added who have neither agreed to
    be named nor opened the group's page (meetups.stewardship.told_of_changes)."""
    return clean_addresses(told_of_changes(meetup).values_list("email", flat=True))


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


def greeting_names(proposal, addresses) -> dict[str, str]:
    """The name to greet each address by: organizers of `proposal` as they gave it, staff
    by the name on their account; anyone else is greeted without a name (never by their
    address's local part, which reads as a mistake: "Hello jane.doe,")."""
    names = staff_names(addresses)
    if proposal is not None:
        for organizer in proposal.organizers.all():
            names[organizer.email.strip().lower()] = organizer.name
    return names


def other_organizers(meetup, event, book: AddressBook) -> list[str]:
    """The group's organizers other than the author of `event` (who knows what they did).
    Not people an organizer added who have neither agreed nor opened the page: each save
    would otherwise carry an organizer's text to addresses they typed (an attack run sent 48
    emails from 6 saves)."""
    author = event.actor_label.removeprefix("Organizer ")
    engaged = set(engaged_organizers(meetup))
    others = [a for a, name in book.people(meetup) if name != author and a in engaged]
    return clean_addresses(others)


def contact_addresses(meetup, contact_pks) -> list[str]:
    """The addresses of these people who keep the group's page."""
    emails = meetup.contacts.filter(pk__in=contact_pks).values_list("email", flat=True)
    return clean_addresses(emails)
