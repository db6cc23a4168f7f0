"""An organizer's data, from their proposal's private link: download it (JSON) and, once
the proposal has ended and its group is archived, have it erased (intake.erasure)."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import erasure
from .access import with_proposal


@with_proposal
@require_http_methods(["GET"])
def download(request, proposal, token):
    body = json.dumps(erasure.download_data(proposal=proposal), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{proposal.reference}-your-data.json"'
    return response


@with_proposal
@require_http_methods(["GET", "POST"])
def erase(request, proposal, token):
    problem = erasure.erasable_problem(proposal)
    if request.method == "POST" and not problem and request.POST.get("confirm") == "1":
        erasure.erase(proposal=proposal)
        return render(request, "intake/erased.html", {"reference": proposal.reference})
    return render(
        request,
        "intake/erase.html",
        {"proposal": proposal, "token": token, "problem": problem},
    )
