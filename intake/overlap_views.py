"""The overlap check the proposal form calls while the proposer types (static/js/overlap.js).
The same list is on "check your answers" for browsers without JavaScript."""

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from common import throttle

from . import overlap

# Typing calls this every half second or so: generous, but a bound on what one address
# can make the database do.
CHECKS_PER_ADDRESS = 600
CHECKS_WINDOW = 3600


@require_GET
def check_overlap(request):
    address = throttle.client_address(request)
    if throttle.is_limited("overlap", address, limit=CHECKS_PER_ADDRESS, window=CHECKS_WINDOW):
        return JsonResponse({"matches": [], "html": ""}, status=429)
    throttle.record("overlap", address, window=CHECKS_WINDOW)
    matches = overlap.find_overlaps(
        name=request.GET.get("name", ""),
        description=request.GET.get("description", ""),
        exclude_reference=request.GET.get("exclude", "")[:16],
    )
    return JsonResponse(
        {
            "matches": [{"name": m.name, "kind": m.kind, "url": m.url} for m in matches],
            "html": render_to_string("intake/_overlap_list.html", {"matches": matches}).strip(),
        }
    )
