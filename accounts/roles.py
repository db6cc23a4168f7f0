"""Staff roles (Reviewers, Program managers), the Actor of a staff member (common.actors,
re-exported here), the staff pages' decorators and two-factor sign-in."""

import time
from functools import wraps
from urllib.parse import urlencode

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from common.actors import Actor

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


# Two-factor sign-in. Program managers (and superusers) always need a second factor, and so
# does anyone who may open the admin; reviewers too with MFA_REQUIRED_FOR_REVIEWERS. allauth
# asks every account that has an authenticator for it at each sign-in (by password, passkey
# or single sign-on), so what is checked here is that someone who needs one has one: a staff
# member without one is sent to set it up before any staff page.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def must_use_two_factor(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.is_staff or is_program_manager(user):
        return True
    return settings.MFA_REQUIRED_FOR_REVIEWERS and REVIEWERS_GROUP in user_roles(user)


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def enrollment_redirect(request):
    """The response sending a staff member who needs a second factor and lacks one to the
    page where they set one up, with a message saying why; None when all is well."""
    user = request.user
    if not must_use_two_factor(user) or has_second_factor(user):
        return None
    messages.info(
        request,
        _(
            "Your account needs two-factor sign-in before it can open staff pages. Add an "
            "authenticator app or a passkey below; then go back to the page you wanted."
        ),
    )
    return redirect("mfa_index")


def staff_actor(user) -> Actor:
    """The Actor for a staff member, with their roles as they are now."""
    return Actor.staff(
        user, is_reviewer=is_staff_member(user), is_program_manager=is_program_manager(user)
    )


def role_required(has_role, *, refusal: str):
    """A view decorator for staff pages: anonymous visitors are sent to sign in, signed-in
    people without the role are refused (403), those who need a second factor and have none
    are sent to set one up, and no page is ever cached."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user):
                raise PermissionDenied(refusal)
            enroll = enrollment_redirect(request)
            if enroll is not None:
                return enroll
            return view(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorator


staff_required = role_required(is_staff_member, refusal="Reviewers and program managers only.")
program_manager_required = role_required(is_program_manager, refusal="Program managers only.")


def signed_in_freshly(request) -> bool:
    """Signed in, or asked again, by password or second factor within the last
    ACCOUNT_REAUTHENTICATION_TIMEOUT seconds: a sign-in that just happened counts."""
    if not request.user.is_authenticated:
        return False
    records = [
        r
        for r in get_authentication_records(request, request.user)
        if r.get("method") in settings.ACCOUNT_REAUTHENTICATION_METHODS
    ]
    return bool(records) and (
        time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    )


def fresh_sign_in_required(view=None, *, return_to=None):
    """Before a sensitive action (the CSV export, changing someone's role) the person signs
    in again (password, or their second factor) unless they signed in, or did so again, in
    the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds; a form sent meanwhile is kept and
    carried out after (allauth's re-authentication). With `return_to(request)`, a GET is
    sent there after the fresh sign-in instead (a download: the page it was asked from)."""

    def decorator(view):
        asking = reauthentication_required(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if signed_in_freshly(request):
                return view(request, *args, **kwargs)
            if return_to is not None and request.method == "GET":
                login = reverse("account_reauthenticate")
                return redirect(f"{login}?{urlencode({'next': return_to(request)})}")
            return asking(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator
