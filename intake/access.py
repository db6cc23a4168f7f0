"""The organizer's private link: a view decorator that resolves its token to the proposal."""

from functools import wraps

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from common import throttle

from . import services

TOKEN_FAILURES_LIMIT = 30
TOKEN_FAILURES_WINDOW = 600


def with_proposal(view):
    """Resolve the private token in the URL, or 404. Repeated misses from one address are
    throttled, so guessing tokens is slow as well as hopeless."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        address = throttle.client_address(request)
        if throttle.is_limited(
            "token", address, limit=TOKEN_FAILURES_LIMIT, window=TOKEN_FAILURES_WINDOW
        ):
            return render(request, "429.html", status=429)
        proposal = services.proposal_for_token(token)
        if proposal is None:
            throttle.record("token", address, window=TOKEN_FAILURES_WINDOW)
            raise Http404("No proposal has this link.")
        if proposal.erased_at is not None:
            return render(request, "intake/erased_link.html", {"proposal": proposal}, status=410)
        return view(request, proposal, token, *args, **kwargs)

    return never_cache(wrapper)
