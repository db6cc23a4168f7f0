"""The gate of a group's private pages (meetups.organizer_views, meeting_organizer_views,
consent_views): the organizer's link in the URL opens them, an ended or withdrawn link says
what happened, and repeated misses from one address are throttled."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from common import throttle

from . import access
from .models import Handover

TOKEN_FAILURES_LIMIT = 30
TOKEN_FAILURES_WINDOW = 600


def link_or_404(request, token: str, *, handover: bool = False):
    """The link in the URL, or 404. Repeated misses from one address are throttled, so
    guessing is slow as well as hopeless. A person's link opens only their group's pages;
    a successor's link only the handover until they accept."""
    address = throttle.client_address(request)
    if throttle.is_limited(
        "token", address, limit=TOKEN_FAILURES_LIMIT, window=TOKEN_FAILURES_WINDOW
    ):
        return None, render(request, "429.html", status=429)
    link = access.link_for_token(token)
    if link is not None and link.ended:
        # A former organizer's link: say plainly what happened and whom to write to.
        return None, render(
            request,
            "meetups/group_link_ended.html",
            {
                "link": link,
                "meetup": link.meetup,
                "contact_email": settings.PROGRAM_CONTACT_EMAIL,
                "write_link": link.meetup.write_url()
                if link.meetup.is_listed and link.meetup.accepts_messages
                else "",
            },
            status=410,
        )
    if (
        link is not None
        and link.contact is None
        and link.handover is not None
        and link.handover.status == Handover.Status.CANCELLED
    ):
        # A successor's link to an offer taken back (by its maker, staff, a newer offer,
        # or their leaving): say so, and whom to write to, not a bare "not found".
        return None, render(
            request,
            "meetups/group_handover_withdrawn.html",
            {
                "offer": link.handover,
                "meetup": link.meetup,
                "contact_email": settings.PROGRAM_CONTACT_EMAIL,
            },
            status=410,
        )
    if link is None or (not handover and link.contact is None):
        throttle.record("token", address, window=TOKEN_FAILURES_WINDOW)
        raise Http404("No group has this link.")
    return link, None


def unless_archived(view):
    """Under with_group_link: an archived group's page is read-only, so a form that would
    change it says so and leads back to the page."""

    @wraps(view)
    def wrapper(request, link, token, *args, **kwargs):
        meetup = link.meetup
        if not meetup.is_archived:
            return view(request, link, token, *args, **kwargs)
        messages.error(
            request,
            _(
                "%(name)s is archived, so its page can no longer be changed. Write to program "
                "staff at %(email)s to have it listed again."
            )
            % {"name": meetup.name, "email": settings.PROGRAM_CONTACT_EMAIL},
        )
        return redirect("meetups:group_home", token=token)

    return wrapper


def with_group_link(view):
    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        link, refusal = link_or_404(request, token)
        if refusal is not None:
            return refusal
        return view(request, link, token, *args, **kwargs)

    return never_cache(wrapper)
