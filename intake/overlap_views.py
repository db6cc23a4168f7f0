"""The overlap check the proposal form calls while the proposer types (static/js/overlap.js).
The same list is on "check your answers" for browsers without JavaScript."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common import throttle

from . import introductions, overlap
from .forms import IntroductionForm

# "Pass my details to staff": a few an hour from one address.
INTRODUCTIONS_PER_HOUR = 5

CHECKS_WINDOW = 3600  # settings.OVERLAP_CHECKS_PER_HOUR in this window
# Counted in each web process's own memory: a check asks the database nothing (the index is
# kept in the process), so the limit guards each process's time, and a shared count would
# cost more queries than the check itself.
CHECKS_STORE = "process_throttle"


@require_GET
def check_overlap(request):
    address = throttle.client_address(request)
    if not throttle.take(
        "overlap",
        address,
        limit=settings.OVERLAP_CHECKS_PER_HOUR,
        window=CHECKS_WINDOW,
        store=CHECKS_STORE,
    ):
        return JsonResponse({"matches": [], "html": ""}, status=429)
    matches = overlap.find_overlaps(
        name=request.GET.get("name", ""),
        description=request.GET.get("description", ""),
        exclude_reference=request.GET.get("exclude", "")[:16],
    )
    return JsonResponse(
        {
            # Public: a proposal under review is named only if its proposers agreed.
            "matches": [{"name": m.public_name, "kind": m.kind, "url": m.url} for m in matches],
            "html": render_to_string(
                "intake/_overlap_list.html", {"matches": matches}, request=request
            ).strip(),
        }
    )


@never_cache
@require_http_methods(["GET", "POST"])
def introduction(request, token):
    """A similar proposal is being reviewed, unnamed: pass my details to program staff."""
    proposals = introductions.proposals_for_token(token)
    if not proposals:
        raise Http404("This proposal is no longer being reviewed.")
    form = IntroductionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttle.take(
            "introduction",
            throttle.client_address(request),
            limit=INTRODUCTIONS_PER_HOUR,
            window=CHECKS_WINDOW,
        ):
            return render(
                request, "intake/introduction.html", {"form": form, "limited": True}, status=429
            )
        for proposal in proposals:
            introductions.ask_introduction(proposal=proposal, **form.cleaned_data)
        return render(request, "intake/introduction_sent.html")
    return render(request, "intake/introduction.html", {"form": form})
