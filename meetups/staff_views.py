"""Program managers' pages and actions for one group: its staff page (state, dates, history
with reverts, the people who keep its page and their invitations, extend / archive / restore
with a note), editing its public details, archiving and listing it again. The lists of
groups are meetups.group_list_views; the organizers' own pages meetups.organizer_views.
Views parse requests; meetups.services, lifecycle and stewardship decide."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.roles import program_manager_required, staff_actor
from common.forms import error_summary
from common.transitions import Refused

from . import erasure, group_details, handovers, lifecycle, services, stewardship
from .forms import MeetupForm, people_formset
from .group_forms import AddOrganizerForm, ExtendForm, StaffNoteForm
from .models import EventKind, Handover, Meetup, MeetupEvent, Topic


def _consequence(name: str, meetup: Meetup) -> str:
    """What an action does, said beside its button (and on the confirmation page)."""
    values = {"name": meetup.name, "months": settings.CHECK_IN_MONTHS}
    return {
        EventKind.ARCHIVE: _(
            "Takes %(name)s off the public directory at once and emails its organizers and "
            "program managers. An organizer's check-in does not bring it back; you can list "
            "it again from Archived groups."
        ),
        EventKind.RESTORE: _(
            "Lists %(name)s on the directory again at once, with its next check-in due in "
            "%(months)s months, and emails its organizers."
        ),
        EventKind.EXTEND: _(
            "Makes %(name)s active at once with the new check-in date (any check-in or "
            '"not confirmed recently" ends), and emails its organizers the date.'
        ),
    }.get(name, "") % values


def _page(request, meetup, *, status=200, add_form=None, extend_form=None):
    actor = staff_actor(request.user)
    return render(
        request,
        "meetups/staff_group.html",
        {
            "meetup": meetup,
            "all_topics": list(Topic.objects.all()),
            "dates": lifecycle.dates_ahead(meetup),
            "contacts": list(meetup.contacts.all()),
            "people_erased": erasure.people_erased(meetup),
            "history": list(
                meetup.history.select_related("actor").order_by("-created_at", "-id")[:100]
            ),
            # (name, label, consequence, whether its own page asks first: archiving).
            "actions": [
                (
                    name,
                    lifecycle.GROUP_LIFE.facts(name)["label"],
                    _consequence(name, meetup),
                    name == EventKind.ARCHIVE,
                )
                for name in lifecycle.available_transitions(meetup=meetup, actor=actor)
                if name != EventKind.EXTEND
            ],
            "can_extend": EventKind.EXTEND
            in lifecycle.available_transitions(meetup=meetup, actor=actor),
            "extend_consequence": _consequence(EventKind.EXTEND, meetup),
            "handovers": list(meetup.handovers.filter(status=Handover.Status.PENDING)),
            "add_form": add_form or AddOrganizerForm(),
            "extend_form": extend_form or ExtendForm(meetup=meetup),
            "note_form": StaffNoteForm(),
            "errors": error_summary(*(f for f in (add_form, extend_form) if f is not None)),
            "link_check": getattr(meetup, "link_check", None),
        },
        status=status,
    )


@program_manager_required
@require_http_methods(["GET", "HEAD"])
def group(request, slug):
    return _page(request, get_object_or_404(Meetup, slug=slug))


@program_manager_required
@require_http_methods(["POST"])
def transition(request, slug, name):
    meetup = get_object_or_404(Meetup, slug=slug)
    if name == EventKind.EXTEND:
        form = ExtendForm(request.POST, meetup=meetup)
        if not form.is_valid():
            return _page(request, meetup, status=400, extend_form=form)
        note, due_on = form.cleaned_data["note"], form.cleaned_data["due_on"]
    else:
        form = StaffNoteForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        due_on = None
        if name == EventKind.ARCHIVE:
            # It leaves the directory at once: the archive page says so and asks first.
            return redirect("meetups:archive", slug=slug)
    try:
        lifecycle.run_transition(
            meetup=meetup, name=name, actor=staff_actor(request.user), note=note, due_on=due_on
        )
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        meetup.refresh_from_db()
        messages.success(request, f"{meetup.name} is {meetup.get_lifecycle_display().lower()} now.")
    return redirect(meetup.staff_url())


@program_manager_required
@require_http_methods(["POST"])
def add_contact(request, slug):
    meetup = get_object_or_404(Meetup, slug=slug)
    form = AddOrganizerForm(request.POST)
    if not form.is_valid():
        return _page(request, meetup, status=400, add_form=form)
    try:
        stewardship.add_organizer(
            meetup=meetup, actor=staff_actor(request.user), invite=True, **form.cleaned_data
        )
    except stewardship.StewardshipError as exc:
        form.add_error("email", str(exc))
        return _page(request, meetup, status=400, add_form=form)
    messages.success(
        request, f"We have emailed {form.cleaned_data['name']} an invitation to the group's page."
    )
    return redirect(meetup.staff_url())


@program_manager_required
@require_http_methods(["POST"])
def invite(request, slug, pk):
    meetup = get_object_or_404(Meetup, slug=slug)
    contact = get_object_or_404(meetup.contacts, pk=pk)
    try:
        stewardship.invite(contact=contact, actor=staff_actor(request.user))
    except stewardship.StewardshipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"We have emailed {contact.name} an invitation again.")
    return redirect(meetup.staff_url())


@program_manager_required
@require_http_methods(["POST"])
def cancel_handover(request, slug, pk):
    meetup = get_object_or_404(Meetup, slug=slug)
    offer = get_object_or_404(meetup.handovers, pk=pk)
    try:
        handovers.cancel_handover(handover=offer, actor=staff_actor(request.user))
    except stewardship.StewardshipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The handover to %(name)s is cancelled; we have told them.")
            % {"name": offer.successor_name},
        )
    return redirect(meetup.staff_url())


@program_manager_required
@require_http_methods(["POST"])
def revert(request, slug, pk):
    meetup = get_object_or_404(Meetup, slug=slug)
    event = get_object_or_404(MeetupEvent, meetup=meetup, pk=pk)
    try:
        done = group_details.revert_edit(event=event, actor=staff_actor(request.user))
    except stewardship.StewardshipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "The change is reverted." if done else "Nothing to revert: it is as it was."
        )
    return redirect(meetup.staff_url())


@program_manager_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    meetup = get_object_or_404(Meetup.objects.for_directory(), slug=slug)
    people = [{"name": o.name, "role": o.role_label} for o in meetup.organizers.all()]
    if request.method == "POST":
        form = MeetupForm(request.POST, instance=meetup)
        formset = people_formset(data=request.POST, initial=people)
        if form.is_valid() and formset.is_valid():
            try:
                services.update_meetup(
                    meetup=meetup,
                    name=form.cleaned_data["name"],
                    url=form.cleaned_data["url"],
                    description=form.cleaned_data["description"],
                    organizers=formset.people(),
                )
            except services.NameTaken as exc:  # listed by someone else since the form checked
                form.add_error("name", str(exc))
            else:
                messages.success(
                    request, f"{meetup.name} is saved. The directory shows the change."
                )
                return redirect(meetup.get_absolute_url())
        # Validation wrote the rejected answers onto the instance; the page title and links
        # must keep the saved name (the form still shows what was typed).
        meetup.refresh_from_db(fields=["name", "url", "description"])
        status = 400
    else:
        form = MeetupForm(instance=meetup)
        formset = people_formset(initial=people)
        status = 200
    errors = error_summary(form, formset)
    return render(
        request,
        "meetups/edit.html",
        {"meetup": meetup, "form": form, "formset": formset, "errors": errors},
        status=status,
    )


@program_manager_required
@require_http_methods(["GET", "POST"])
def archive(request, slug):
    meetup = get_object_or_404(Meetup.objects.for_directory(), slug=slug)
    if request.method == "POST":
        services.archive_meetup(
            meetup=meetup, actor=staff_actor(request.user), note=request.POST.get("note", "")
        )
        messages.success(
            request,
            f"{meetup.name} is archived: it no longer appears on the directory. "
            "You can list it again from Archived groups.",
        )
        if request.POST.get("from") == "staff":
            # Back where the manager came from: the message above the group's history.
            return redirect(meetup.staff_url())
        return redirect("meetups:directory")
    from_staff = request.GET.get("from") == "staff"
    return render(request, "meetups/archive.html", {"meetup": meetup, "from_staff": from_staff})


@program_manager_required
@require_http_methods(["POST"])
def restore(request, slug):
    meetup = get_object_or_404(Meetup.objects.filter(is_listed=False), slug=slug)
    try:
        services.restore_meetup(
            meetup=meetup, actor=staff_actor(request.user), note=request.POST.get("note", "")
        )
    except (services.NameTaken, Refused) as exc:
        messages.error(request, str(exc))
        return redirect("meetups:archived")
    messages.success(request, f"{meetup.name} is listed again, in its old place.")
    return redirect(meetup.get_absolute_url())
