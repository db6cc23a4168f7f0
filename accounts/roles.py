"""Who is acting on a proposal: an organizer holding the private link, a staff member, or
the system itself. Transition permissions are checked against an Actor, never a bare user."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.views.decorators.cache import never_cache

REVIEWERS_GROUP = "Reviewers"
PROGRAM_MANAGERS_GROUP = "Program managers"


def user_roles(user) -> set[str]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return {REVIEWERS_GROUP, PROGRAM_MANAGERS_GROUP}
    cached = getattr(user, "_meetup_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) & {
            REVIEWERS_GROUP,
            PROGRAM_MANAGERS_GROUP,
        }
        user._meetup_roles = cached
    return cached


def is_program_manager(user) -> bool:
    return PROGRAM_MANAGERS_GROUP in user_roles(user)


def is_staff_member(user) -> bool:
    """Reviewers and program managers: everyone who may open the reviewer workspace."""
    return bool(user_roles(user))


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    organizer: bool = False
    system: bool = False

    @classmethod
    def organizer_link(cls) -> "Actor":
        return cls(organizer=True)

    @classmethod
    def staff(cls, user) -> "Actor":
        return cls(user=user)

    @classmethod
    def automatic(cls) -> "Actor":
        return cls(system=True)

    @property
    def is_reviewer(self) -> bool:
        return is_staff_member(self.user)

    @property
    def is_program_manager(self) -> bool:
        return is_program_manager(self.user)

    @property
    def email(self) -> str:
        return (getattr(self.user, "email", "") or "").strip().lower()

    @property
    def label(self) -> str:
        if self.system:
            return "Automatic"
        if self.organizer:
            return "Organizer"
        if self.user is not None:
            return self.user.get_full_name() or self.user.get_username()
        return "Unknown"


def role_required(has_role, *, refusal: str):
    """A view decorator for staff pages: anonymous visitors are sent to sign in, signed-in
    people without the role are refused (403), and no page is ever cached."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user):
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorator


staff_required = role_required(is_staff_member, refusal="Reviewers and program managers only.")
program_manager_required = role_required(is_program_manager, refusal="Program managers only.")
