"""The public forms that email someone their private links: "find my links" (intake.views)
and "your data" (intake.data_views). One flow: the shared limits (intake.link_requests),
then the same answer, in the same time, whether or not anything is held about the address,
because the lookup and the email happen after the response."""

from django.shortcuts import render

from common import throttle
from config.after_response import run_after_response

from . import link_requests


def ask_for_links(request, *, form, kind: str, template: str, sent_template: str, queue):
    """The form page (`template`) on GET or a refused POST; on a valid POST, the page saying
    the email is on its way (`sent_template`) and `queue(email)` run after the response."""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        wait, limited = link_requests.allowance(
            kind=kind, address=throttle.client_address(request), email=email
        )
        if wait:
            response = render(
                request,
                template,
                {"form": form, "limited": limited, **link_requests.retry(wait)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        response = render(request, sent_template, {"email": email})
        run_after_response(response, lambda: queue(email))
        return response
    return render(request, template, {"form": form})
