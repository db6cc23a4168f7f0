"""The organizers' reply to program staff, from their proposal's private page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from intake.access import with_proposal
from intake.models import State

from . import services
from .forms import ReplyForm


@with_proposal
@require_http_methods(["GET", "POST"])
def reply(request, proposal, token):
    status_url = reverse("intake:status", kwargs={"token": token})
    if proposal.state not in State.IN_CONVERSATION:
        closed = (
            f"{proposal.reference} is {proposal.get_state_display().lower()}, so messages "
            "cannot be sent from this page."
        )
        typed = (request.POST.get("body") or "").strip()
        if typed:
            # Sent from a page loaded before the proposal closed: give the text back.
            closed += f" Your message was not sent: {typed}"
        messages.info(request, closed)
        return redirect(status_url)
    form = ReplyForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.add_organizer_reply(proposal=proposal, body=form.cleaned_data["body"])
        except services.TooManyReplies as exc:
            # Kept in the form, with the button, to send once the hour is over.
            response = render(
                request,
                "reviews/reply.html",
                {"proposal": proposal, "token": token, "form": form, "limited": str(exc)},
                status=429,
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        except services.ReviewError as exc:
            # The state changed while they typed: show why, keep what they wrote.
            error = str(exc)
        else:
            messages.success(request, "Your message is sent to the program staff.")
            return redirect(status_url + "#messages")
    return render(
        request,
        "reviews/reply.html",
        {"proposal": proposal, "token": token, "form": form, "error": error},
        status=409 if error else 400 if form.is_bound else 200,
    )
