"""Who takes a transition or makes a change: the system (the beat schedule), an organizer
through their private link, or a staff member. Every state machine's permissions are
checked against an Actor, never a bare user. accounts.roles builds a staff member's Actor
from their roles (it is the layer that knows them)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    system: bool = False
    organizer: bool = False
    is_reviewer: bool = False  # a reviewer or a program manager: may use the workspace
    is_program_manager: bool = False
    user: object | None = None
    email: str = ""  # lower case; a staff member's, to tell whether they organize a proposal
    label: str = "Unknown"  # what histories show as who acted

    @classmethod
    def automatic(cls) -> "Actor":
        return SYSTEM

    @classmethod
    def organizer_link(cls) -> "Actor":
        return ORGANIZER

    @classmethod
    def staff(cls, user, *, is_reviewer: bool, is_program_manager: bool) -> "Actor":
        """A signed-in staff member (or, with no user, code acting for one: a shell)."""
        if user is None:
            return cls(
                is_reviewer=is_reviewer, is_program_manager=is_program_manager, label="Staff"
            )
        return cls(
            user=user,
            is_reviewer=is_reviewer,
            is_program_manager=is_program_manager,
            email=(getattr(user, "email", "") or "").strip().lower(),
            label=_name_of(user) or "Unknown",
        )


def _name_of(user) -> str:
    # An anonymous visitor has no full name (and is refused by every staff permission).
    full_name = getattr(user, "get_full_name", None)
    return (full_name() if full_name else "") or user.get_username()


SYSTEM = Actor(system=True, label="Automatic")
ORGANIZER = Actor(organizer=True, label="Organizer")
