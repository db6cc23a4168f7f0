"""An organizer's data, from their proposal's private link: download it (JSON) and, once
the proposal has ended and its group is archived, have it erased (intake.erasure). And a
person's data across everything naming their address, from /privacy/my-data/ (my_data)."""

import json

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common import throttle
from config.after_response import run_after_response

from . import erasure, link_requests, my_data, tasks
from .access import with_proposal
from .forms import FindProposalsForm


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


@never_cache
@require_http_methods(["GET", "POST"])
def my_data_request(request):
    """Enter an address; a link to everything held about it is emailed (if anything is)."""
    form = FindProposalsForm(request.POST or None)
    form.fields["email"].help_text = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        # The same limits as "find my links", and the same answer over them.
        wait, limited = link_requests.allowance(
            kind="my-data", address=throttle.client_address(request), email=email
        )
        if wait:
            response = render(
                request,
                "intake/my_data_request.html",
                {"form": form, "limited": limited, **link_requests.retry(wait)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        # Looked up and emailed after the response: the same answer, in the same time,
        # whether or not anything is held about the address.
        response = render(request, "intake/my_data_sent.html", {"email": email})
        run_after_response(response, lambda: tasks.queue_my_data_link(email))
        return response
    return render(request, "intake/my_data_request.html", {"form": form})


def _email_or_refusal(request, token):
    email = my_data.email_for_token(token)
    if email is None:
        throttle.record("token", throttle.client_address(request), window=600)
        return None, render(request, "intake/my_data_link_refused.html", status=404)
    return email, None


@never_cache
@require_http_methods(["GET", "POST"])
def my_data_page(request, token):
    email, refusal = _email_or_refusal(request, token)
    if refusal is not None:
        return refusal
    done = None
    if request.method == "POST" and request.POST.get("confirm") == "1":
        done = my_data.erase_all(email=email)
    return render(
        request,
        "intake/my_data.html",
        {
            "email": email,
            "token": token,
            "done": done,
            "items": done if done is not None else my_data.items(email=email),
        },
    )


@never_cache
@require_http_methods(["GET"])
def my_data_download(request, token):
    email, refusal = _email_or_refusal(request, token)
    if refusal is not None:
        return refusal
    body = json.dumps(my_data.download_all(email=email), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="your-data.json"'
    return response
