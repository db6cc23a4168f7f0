"""The program managers' lists of groups: every group, by state and name, and the imported
groups nobody keeps (no person to invite to the group's own page)."""

from django.db.models import Exists, OuterRef, QuerySet

from .models import GroupContact, Lifecycle, Meetup

SEARCH_MAX_LENGTH = 200


def _with_people(groups: QuerySet) -> QuerySet:
    return groups.annotate(
        has_people=Exists(GroupContact.objects.filter(meetup=OuterRef("pk")))
    ).select_related("link_check")


def all_groups(*, state: str = "", search: str = "", nobody: bool = False) -> QuerySet:
    """Every group, archived ones too, by name: in `state` (a Lifecycle value; anything else
    is every state), whose name holds `search`, and with `nobody` only those nobody keeps."""
    groups = _with_people(Meetup.objects.all())
    if state in Lifecycle.values:
        groups = groups.filter(lifecycle=state)
    search = search.strip()[:SEARCH_MAX_LENGTH]
    if search:
        groups = groups.filter(name__icontains=search)
    if nobody:
        groups = groups.filter(has_people=False)
    return groups


def imported_without_people() -> QuerySet:
    """Groups imported from the listing page (none came from a proposal), not archived, that
    nobody keeps: a program manager adds and invites their organizers."""
    return (
        all_groups(nobody=True).filter(proposal__isnull=True).exclude(lifecycle=Lifecycle.ARCHIVED)
    )
