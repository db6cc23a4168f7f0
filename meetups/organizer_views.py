"""A group's private page, reached by the link in an organizer's email: the group's state
and check-in, its public details, its organizers, handing over, and the yearly check-in;
and the page where a named successor accepts a handover. Views parse requests;
meetups.stewardship, handovers, group_details and check_ins decide."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.actors import ORGANIZER
from common.downloads import json_download
from common.forms import error_summary
from common.text import possessive
from common.transitions import Refused

from . import (
    check_ins,
    consent,
    erasure,
    group_details,
    handovers,
    lifecycle,
    organizer_link,
    stewardship,
)
from .fields import web_address_problem
from .group_forms import AddOrganizerForm, CheckInForm, GroupDetailsForm, HandoverForm
from .models import Handover, LinkCheck
from .organizer_link import unless_archived, with_group_link


def _moved_to(meetup) -> str:
    """The address the group's page moved to for good, found by the weekly check, when a
    form would take it (the same web address rules, checked again before it is offered or
    saved: it was found by following another site's redirects)."""
    check = LinkCheck.objects.filter(meetup=meetup, url=meetup.url).exclude(moved_to="").first()
    if check is None or web_address_problem(check.moved_to):
        return ""
    return check.moved_to


def _label(link) -> str:
    return f"Organizer {link.contact.name}"


@with_group_link
@require_http_methods(["GET", "HEAD"])
def home(request, link, token):
    meetup = link.meetup
    named, declined = consent.name_answers(meetup)
    return render(
        request,
        "meetups/group_home.html",
        {
            "meetup": meetup,
            "token": token,
            "contact": link.contact,
            "contacts": list(meetup.contacts.all()),
            "named": named,
            "declined": declined,
            "dates": lifecycle.dates_ahead(meetup),
            "check_in_done": lifecycle.check_in_answered(meetup),
            "archived": meetup.is_archived,
            "contact_email": settings.PROGRAM_CONTACT_EMAIL,
            "history": list(meetup.history.order_by("-created_at", "-id")[:50]),
            "moved_to": _moved_to(meetup),
            "draft_meetings": meetup.meetings.filter(confirmed=False).exists(),
            "link_check": LinkCheck.objects.filter(meetup=meetup, url=meetup.url).first(),
            "pending_handover": Handover.objects.filter(
                meetup=meetup, from_contact=link.contact, status=Handover.Status.PENDING
            ).first(),
        },
    )


@with_group_link
@unless_archived
@require_http_methods(["GET", "POST"])
def edit(request, link, token):
    meetup = link.meetup
    moved_to = _moved_to(meetup)
    if request.method == "POST" and request.POST.get("use_moved_address"):
        if not moved_to:  # no longer offered: nothing else in this request is to be saved
            messages.error(request, _("There is no new address to use. Nothing was changed."))
            return redirect("meetups:group_home", token=token)
        group_details.update_details(
            meetup=meetup,
            actor=ORGANIZER,
            actor_label=_label(link),
            details={"url": moved_to},
        )
        messages.success(request, f"Saved: the directory now links to {moved_to}.")
        return redirect("meetups:group_home", token=token)
    if request.method == "POST":
        form = GroupDetailsForm(request.POST, instance=meetup)
        if form.is_valid():
            event = group_details.update_details(
                meetup=meetup,
                actor=ORGANIZER,
                actor_label=_label(link),
                details={f: form.cleaned_data[f] for f in group_details.DETAIL_FIELDS},
            )
            messages.success(
                request,
                "Saved: the directory shows the change now."
                if event
                else "Nothing changed, so nothing was saved.",
            )
            return redirect("meetups:group_home", token=token)
        meetup.refresh_from_db(fields=list(group_details.DETAIL_FIELDS))
        status = 400
    else:
        form, status = GroupDetailsForm(instance=meetup), 200
    return render(
        request,
        "meetups/group_edit.html",
        {"meetup": meetup, "token": token, "form": form, "errors": error_summary(form)},
        status=status,
    )


@with_group_link
@unless_archived
@require_http_methods(["GET", "POST"])
def organizers(request, link, token):
    meetup = link.meetup
    form = AddOrganizerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            contact = meetup.contacts.filter(
                pk=remove if remove.isascii() and remove.isdigit() else 0
            ).first()
            if contact is None:
                messages.error(request, "That person is no longer an organizer of this group.")
                return redirect("meetups:group_organizers", token=token)
            if not request.POST.get("confirm"):
                # Removing someone ends their access at once: say so, and ask first.
                try:
                    stewardship.check_can_remove(meetup)
                except stewardship.StewardshipError as exc:
                    messages.error(request, str(exc))
                    return redirect("meetups:group_organizers", token=token)
                return render(
                    request,
                    "meetups/group_remove_confirm.html",
                    {"meetup": meetup, "token": token, "person": contact, "contact": link.contact},
                )
            try:
                stewardship.remove_organizer(
                    contact=contact,
                    actor=ORGANIZER,
                    actor_label=_label(link),
                    note=request.POST.get("note", "")[:2000],
                )
            except stewardship.StewardshipError as exc:
                messages.error(request, str(exc))
                return redirect("meetups:group_organizers", token=token)
            if contact.pk == link.contact_id:
                return render(request, "meetups/group_stepped_down.html", {"meetup": meetup})
            messages.success(request, f"{contact.name} is no longer an organizer.")
            return redirect("meetups:group_organizers", token=token)
        if form.is_valid():
            try:
                stewardship.add_organizer(
                    meetup=meetup,
                    actor=ORGANIZER,
                    actor_label=_label(link),
                    added_by=link.contact,
                    **form.cleaned_data,
                )
            except stewardship.StewardshipError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(
                    request,
                    f"{form.cleaned_data['name']} is an organizer now; we have emailed them "
                    "their own link to this page.",
                )
                return redirect("meetups:group_organizers", token=token)
        status = 400
    return render(
        request,
        "meetups/group_organizers.html",
        {
            "meetup": meetup,
            "token": token,
            "contact": link.contact,
            "contacts": list(meetup.contacts.all()),
            "can_remove": len(meetup.contacts.all()) > settings.MIN_ORGANIZERS,
            "min_organizers": settings.MIN_ORGANIZERS,
            "form": form,
            "errors": error_summary(form),
        },
        status=status,
    )


@with_group_link
@unless_archived
@require_http_methods(["GET", "POST"])
def handover(request, link, token):
    meetup = link.meetup
    form = HandoverForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                offer = handovers.offer_handover(contact=link.contact, **form.cleaned_data)
            except stewardship.StewardshipError as exc:
                form.add_error("successor_email", str(exc))
            else:
                messages.success(
                    request,
                    f"We have emailed {offer.successor_name} a link to accept. You keep the "
                    "group's page until they do.",
                )
                return redirect("meetups:group_home", token=token)
        status = 400
    return render(
        request,
        "meetups/group_handover.html",
        {"meetup": meetup, "token": token, "form": form, "errors": error_summary(form)},
        status=status,
    )


@with_group_link
@require_http_methods(["POST"])
def cancel_handover(request, link, token):
    offer = Handover.objects.filter(
        meetup=link.meetup, from_contact=link.contact, status=Handover.Status.PENDING
    ).first()
    if offer is None:
        messages.error(request, _("There is no handover waiting to be cancelled."))
        return redirect("meetups:group_home", token=token)
    try:
        handovers.cancel_handover(handover=offer, actor=ORGANIZER, actor_label=_label(link))
    except stewardship.StewardshipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Cancelled: %(their)s link to accept no longer works, and we have told them.")
            % {"their": possessive(offer.successor_name)},
        )
    return redirect("meetups:group_home", token=token)


@with_group_link
@require_http_methods(["GET", "POST"])
def check_in(request, link, token):
    meetup = link.meetup
    if lifecycle.check_in_answered(meetup):
        # Answered already: say so, and when the next one is due, not the form again.
        return _check_in_done(request, meetup, token)
    form = CheckInForm(request.POST if request.method == "POST" else None, meetup=meetup)
    status = 200
    if request.method == "POST" and request.POST.get("back"):
        # "Go back" from the confirmation: the form again, with the answers as typed.
        form = CheckInForm(
            initial={name: request.POST.get(name) for name in form.fields}, meetup=meetup
        )
    elif request.method == "POST":
        if (
            form.is_valid()
            and not form.cleaned_data["still_meeting"]
            and not request.POST.get("confirm")
        ):
            # "No longer meeting" takes the group off the directory: ask first.
            return render(
                request,
                "meetups/group_retire_confirm.html",
                {"meetup": meetup, "token": token, "answers": request.POST},
            )
        if form.is_valid():
            answers = check_ins.CheckInAnswers(**form.cleaned_data)
            try:
                check_ins.check_in(meetup=meetup, contact=link.contact, answers=answers)
            except check_ins.CheckInAnswered:
                meetup.refresh_from_db()
                return _check_in_done(request, meetup, token)
            except Refused as exc:
                messages.error(request, str(exc))
                return redirect("meetups:group_home", token=token)
            if answers.still_meeting:
                messages.success(request, "Thank you: the group is confirmed as active.")
            else:
                messages.success(
                    request, "Thank you for telling us. The group is off the directory now."
                )
            return redirect("meetups:group_home", token=token)
        status = 400
    return render(
        request,
        "meetups/group_check_in.html",
        {
            "meetup": meetup,
            "token": token,
            "form": form,
            "errors": error_summary(form),
            "dates": lifecycle.dates_ahead(meetup),
        },
        status=status,
    )


def _check_in_done(request, meetup, token):
    return render(
        request,
        "meetups/group_check_in_done.html",
        {"meetup": meetup, "token": token, "dates": lifecycle.dates_ahead(meetup)},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    link, refusal = organizer_link.link_or_404(request, token, handover=True)
    if refusal is not None:
        return refusal
    if link.contact is not None:
        return redirect("meetups:group_home", token=token)  # accepted already: their page
    if link.handover is None:
        raise Http404("No group has this link.")
    offer = link.handover
    status, show_name_error = 200, ""
    if request.method == "POST" and offer.status == Handover.Status.PENDING:
        show_name = request.POST.get("show_name")
        if show_name not in ("yes", "no"):
            # The same question co-organizers are asked: nobody is named without an answer.
            show_name_error = _(
                "Choose whether we may show your name on the directory: nothing has changed yet."
            )
            status = 400
        else:
            try:
                handovers.accept_handover(link=link, show_name=show_name == "yes")
            except stewardship.StewardshipError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"You are an organizer of {link.meetup.name} now. Keep this page's link: "
                    "it is yours.",
                )
                return redirect("meetups:group_home", token=token)
    return render(
        request,
        "meetups/group_accept.html",
        {
            "meetup": link.meetup,
            "offer": offer,
            "token": token,
            "show_name_error": show_name_error,
            "errors": [{"anchor": "show-name-yes", "label": "", "message": show_name_error}]
            if show_name_error
            else [],
        },
        status=status,
    )


@with_group_link
@require_http_methods(["GET"])
def data(request, link, token):
    """Everything held about the group's people (JSON)."""
    return json_download(
        erasure.download_group_data(meetup=link.meetup),
        filename=f"{link.meetup.slug}-your-data.json",
    )


@with_group_link
@require_http_methods(["GET", "POST"])
def erase(request, link, token):
    """Once the group is archived (a group without a proposal), erase its people's data."""
    meetup = link.meetup
    problem = erasure.group_erasable_problem(meetup)
    if request.method == "POST" and not problem and request.POST.get("confirm") == "1":
        try:
            erasure.erase_group(meetup=meetup)
        except erasure.GroupNotYetErasable as exc:
            problem = str(exc)
        else:
            return render(request, "meetups/group_erased.html", {"meetup": meetup})
    return render(
        request,
        "meetups/group_erase.html",
        {"meetup": meetup, "token": token, "problem": problem},
    )
