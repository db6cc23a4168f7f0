"""A person put forward to be named on the directory answers from their private page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import consent
from .organizer_link import with_group_link


@with_group_link
@require_POST
def answer(request, link, token):
    contact = link.contact
    meetup = link.meetup
    choice = request.POST.get("answer")
    try:
        if choice == "confirm":
            consent.confirm_name(contact=contact)
            messages.success(request, _("Thank you: your name is now on the directory."))
            return redirect("meetups:group_home", token=token)
        if choice == "decline" and request.POST.get("confirm") != "1":
            # Leaving cannot be undone from here: say what it does, and ask first.
            if not contact.name_pending:
                raise consent.ConsentError(_("There is nothing left to decline."))
            return render(
                request,
                "meetups/group_name_decline_confirm.html",
                {"meetup": meetup, "contact": contact, "token": token},
            )
        if choice == "decline":
            consent.decline_name(contact=contact)
            return render(request, "meetups/group_name_declined.html", {"meetup": meetup})
    except consent.ConsentError as error:
        messages.info(request, str(error))
        return redirect("meetups:group_home", token=token)
    messages.error(request, _("Choose whether to show your name."))
    return redirect("meetups:group_home", token=token)
