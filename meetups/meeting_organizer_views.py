"""The organizers' meetings, on their group's private page: publish a single or repeating
meeting, skip, move or cancel one date, cancel a meeting; and the group's settings for
members (topics, whether members may write). Views parse; meetups.meetings decides."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.forms import ExplainsNullCharacters, error_summary

from . import meetings as services
from .meeting_forms import CancelMeetingForm, MeetingChangeForm, MeetingForm
from .models import Meeting, MeetingChange, Topic
from .organizer_link import unless_archived, with_group_link
from .schedule import occurrences, schedule_problem


class GroupSettingsForm(ExplainsNullCharacters, forms.Form):
    topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Members find the group by these on the directory."),
    )
    accepts_messages = forms.BooleanField(
        label=gettext_lazy("Members can write to us from the group's page"),
        required=False,
        help_text=gettext_lazy(
            "Messages reach every organizer by email; your addresses stay hidden. While a "
            "meeting keeps its joining link private, members ask for it this way, so this "
            "stays on."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not Topic.objects.exists():
            # No topics to choose yet: the page says who keeps the list instead.
            del self.fields["topics"]


def _home(token):
    return redirect("meetups:group_meetings", token=token)


@with_group_link
@unless_archived
@require_http_methods(["GET", "HEAD"])
def meetings(request, link, token):
    meetup = link.meetup
    items = [
        (m, occurrences(m)[:6], schedule_problem(m))
        for m in Meeting.objects.filter(meetup=meetup).prefetch_related("changes")
    ]
    return render(
        request,
        "meetups/group_meetings.html",
        {
            "meetup": meetup,
            "token": token,
            "items": items,
            "shown": services.shows_meetings(meetup),
            "settings_form": GroupSettingsForm(
                initial={
                    "topics": list(meetup.topics.all()),
                    "accepts_messages": meetup.accepts_messages,
                }
            ),
        },
    )


@with_group_link
@unless_archived
@require_http_methods(["GET", "POST"])
def edit_meeting(request, link, token, pk=None):
    meetup = link.meetup
    meeting = get_object_or_404(Meeting, pk=pk, meetup=meetup) if pk else Meeting(meetup=meetup)
    form = MeetingForm(request.POST or None, instance=meeting, meetup=meetup)
    dropped = []
    if request.method == "POST" and form.is_valid():
        changed = form.save(commit=False)
        dropped = services.dropped_changes(meeting=changed)
        if not dropped or request.POST.get("confirm_drop"):
            try:
                services.save_meeting(meeting=changed, drop_changes=True)
            except services.MeetingError as exc:
                form.add_error(exc.field, str(exc))
                dropped = []
            else:
                messages.success(request, _("The meeting is published."))
                return _home(token)
    return render(
        request,
        "meetups/group_meeting_form.html",
        {
            "meetup": meetup,
            "token": token,
            "form": form,
            "meeting": meeting,
            "errors": error_summary(form),
            "dropped": dropped,
        },
        status=400 if request.method == "POST" and not dropped else 200,
    )


@with_group_link
@unless_archived
@require_http_methods(["GET", "POST"])
def change_date(request, link, token, pk):
    meeting = get_object_or_404(Meeting, pk=pk, meetup=link.meetup)
    form = MeetingChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_date(meeting=meeting, **form.cleaned_data)
        except services.MeetingError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, _("The date is changed."))
            return _home(token)
    return render(
        request,
        "meetups/group_meeting_date.html",
        {
            "meetup": link.meetup,
            "token": token,
            "form": form,
            "meeting": meeting,
            "errors": error_summary(form),
        },
        status=400 if request.method == "POST" else 200,
    )


@with_group_link
@unless_archived
@require_http_methods(["POST"])
def undo_change(request, link, token, pk, change_pk):
    meeting = get_object_or_404(Meeting, pk=pk, meetup=link.meetup)
    change = get_object_or_404(MeetingChange, pk=change_pk, meeting=meeting)
    services.undo_change(meeting=meeting, change=change)
    messages.success(request, _("The date is back as the rule gives it; calendars show it so."))
    return _home(token)


@with_group_link
@unless_archived
@require_http_methods(["GET", "POST"])
def cancel(request, link, token, pk):
    meeting = get_object_or_404(Meeting, pk=pk, meetup=link.meetup)
    form = CancelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.cancel_meeting(meeting=meeting, note=form.cleaned_data["note"])
        messages.success(request, _("The meeting is cancelled; calendars show it so."))
        return _home(token)
    return render(
        request,
        "meetups/group_meeting_cancel.html",
        {
            "meetup": link.meetup,
            "token": token,
            "form": form,
            "meeting": meeting,
            "errors": error_summary(form),
        },
        status=400 if request.method == "POST" else 200,
    )


@with_group_link
@unless_archived
@require_http_methods(["POST"])
def group_settings(request, link, token):
    form = GroupSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.update_group_settings(
                meetup=link.meetup,
                topics=form.cleaned_data.get("topics"),
                accepts_messages=form.cleaned_data["accepts_messages"],
            )
        except services.MeetingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Those topics could not be saved; nothing changed."))
    return _home(token)


@with_group_link
@unless_archived
@require_http_methods(["POST"])
def reinstate(request, link, token, pk):
    meeting = get_object_or_404(Meeting, pk=pk, meetup=link.meetup)
    try:
        services.reinstate_meeting(meeting=meeting)
    except services.MeetingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The meeting takes place again; calendars show it so."))
    return _home(token)
