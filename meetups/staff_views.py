"""Program managers' pages for listed groups' lives: the directory's health (dashboard) and
one group's staff page (state, dates, history with reverts, the people who keep its page
and their invitations, extend / archive / restore with a note)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.roles import program_manager_required, staff_actor
from common import transitions
from common.forms import error_summary
from common.transitions import Refused

from . import erasure, group_details, group_lists, handovers, lifecycle, stewardship
from .group_forms import AddOrganizerForm, ExtendForm, StaffNoteForm
from .models import EventKind, Handover, Lifecycle, Meetup, MeetupEvent, Topic

DUE_SOON_DAYS = 30


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


@program_manager_required
@require_http_methods(["GET", "HEAD"])
def dashboard(request):
    today = timezone.localdate()
    groups = Meetup.objects.select_related("link_check").order_by("check_in_due_on", "name")
    counts = dict(Meetup.objects.order_by().values_list("lifecycle").annotate(n=Count("pk")))
    not_archived = groups.exclude(lifecycle=Lifecycle.ARCHIVED)
    return render(
        request,
        "meetups/staff_dashboard.html",
        {
            "counts": [(label, value, counts.get(value, 0)) for value, label in Lifecycle.choices],
            "due_soon": not_archived.filter(
                check_in_due_on__gte=today,
                check_in_due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
            ),
            "overdue": not_archived.filter(
                lifecycle=Lifecycle.CHECK_IN_DUE, check_in_due_on__lt=today
            ),
            "lapsed": not_archived.filter(lifecycle=Lifecycle.LAPSED),
            "nobody_to_invite": group_lists.imported_without_people(),
            "broken": not_archived.filter(link_check__broken_since__isnull=False).order_by(
                "link_check__broken_since"
            ),
            "due_soon_days": DUE_SOON_DAYS,
            "today": today,
        },
    )


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
                    transitions.facts(Meetup, "lifecycle", name)["label"],
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
    return redirect("meetups:staff_group", slug=slug)


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
    return redirect("meetups:staff_group", slug=slug)


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
    return redirect("meetups:staff_group", slug=slug)


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
    return redirect("meetups:staff_group", slug=slug)


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
    return redirect("meetups:staff_group", slug=slug)
