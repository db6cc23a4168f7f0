"""An organizer's data, from their proposal's private link: download it (JSON) and, once
the proposal has ended and its group is archived, have it erased (intake.erasure). And a
person's data across everything naming their address, from /privacy/my-data/ (my_data)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common import throttle
from common.downloads import json_download

from . import erasure, my_data, tasks
from .access import with_proposal
from .forms import FindProposalsForm
from .link_request_views import ask_for_links


@with_proposal
@require_http_methods(["GET"])
def download(request, proposal, token):
    return json_download(
        erasure.download_data(proposal=proposal), filename=f"{proposal.reference}-your-data.json"
    )


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
    return ask_for_links(
        request,
        form=form,
        kind="my-data",
        template="intake/my_data_request.html",
        sent_template="intake/my_data_sent.html",
        queue=tasks.queue_my_data_link,
    )


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
    return json_download(my_data.download_all(email=email), filename="your-data.json")
