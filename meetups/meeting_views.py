"""Public views of meetings: the calendar feeds (a group's and the program's), one meeting's
"Add to calendar" file, and writing to a group's organizers. Feeds are kept like the
directory's pages (meetups.cache: rendered once per directory version, answered 304 when the
calendar app's copy is current)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common import throttle
from common.forms import error_summary

from . import meetings
from .cache import RELEASE, RENDERED, Body, body_response, conditional_response, dated_state
from .calendar import calendar_bytes, occurrence_bytes
from .meeting_forms import ContactForm, form_token
from .models import Meetup
from .schedule import occurrences

ICS = "text/calendar; charset=utf-8"


def _feed_response(request, *, name: str, etag_name: str, build):
    state = dated_state()
    version, changed_at, _today = state
    etag = f'W/"{etag_name}-{version}-{RELEASE}"'

    def render_feed():
        body = RENDERED.get(state, f"ics:{etag_name}", lambda: Body.of(build(changed_at)))
        response = body_response(request, body, content_type=ICS)
        response["Content-Disposition"] = f'inline; filename="{name}.ics"'
        return response

    return conditional_response(
        request, etag=etag, changed_at=changed_at, render_response=render_feed
    )


@require_http_methods(["GET", "HEAD"])
def group_feed(request, slug):
    """A group's meetings. Empty (not gone) while the group is lapsed or archived, so that
    subscribed calendars drop its meetings rather than keep the last copy they had."""
    meetup = get_object_or_404(Meetup, slug=slug)

    def build(stamp):
        return calendar_bytes(
            name=meetup.name, meetings=meetings.public_meetings(meetup=meetup), stamp=stamp
        )

    return _feed_response(request, name=slug, etag_name=f"group-{slug}", build=build)


@require_http_methods(["GET", "HEAD"])
def program_feed(request):
    def build(stamp):
        return calendar_bytes(
            name=settings.PROGRAM_NAME,
            meetings=meetings.public_meetings(),
            stamp=stamp,
            program=True,
        )

    return _feed_response(request, name="meetings", etag_name="program", build=build)


@require_http_methods(["GET", "HEAD"])
def occurrence_file(request, slug, pk, day):
    """ "Add to calendar": one date of a meeting as its own file."""
    meeting = get_object_or_404(meetings.public_meetings(), pk=pk, meetup__slug=slug)
    found = [o for o in occurrences(meeting) if o.original_date.strftime("%Y%m%d") == day]
    if not found:
        raise Http404("No meeting on this date.")
    version, changed_at, _today = dated_state()
    body = occurrence_bytes(name=meeting.meetup.name, occurrence=found[0], stamp=changed_at)
    response = body_response(request, Body.of(body), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{slug}-{day}.ics"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def write(request, slug):
    """Write to a group's organizers. Their addresses never appear here."""
    meetup = get_object_or_404(Meetup.objects.listed(), slug=slug)
    if not meetup.accepts_messages:
        return render(request, "meetups/write_closed.html", {"meetup": meetup}, status=404)
    if not meetings.receives_messages(meetup):
        # Nobody would get it: no form, and the way to program staff instead (a POST too).
        return render(
            request,
            "meetups/write_closed.html",
            {"meetup": meetup, "nobody": True, "posted": request.method == "POST"},
            status=404,
        )
    form = ContactForm(request.POST or None, slug=slug, initial={"token": form_token(slug=slug)})
    status = 200
    retry_after = None
    if request.method == "POST":
        if form.is_valid():
            try:
                meetings.relay_message(
                    meetup=meetup,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    message=form.cleaned_data["message"],
                    address=throttle.client_address(request),
                )
            except meetings.NobodyToWrite:
                return render(
                    request,
                    "meetups/write_closed.html",
                    {"meetup": meetup, "nobody": True, "posted": request.method == "POST"},
                    status=404,
                )
            except meetings.TooManyMessages as exc:
                retry_after = exc.retry_after
                form.add_error(
                    None,
                    _(
                        "Too many messages have been sent from here or to this group today. "
                        "Your message was not sent: keep a copy and try again tomorrow."
                    ),
                )
                status = 429
            else:
                messages.success(
                    request, _("Your message was sent to the organizers. They reply by email.")
                )
                return redirect(meetup.get_absolute_url())
        else:
            status = 400
        # A fresh token, so a person who fixes a mistake can send at once.
        form.data = form.data.copy()
        form.data["token"] = form_token(slug=slug)
    response = render(
        request,
        "meetups/write.html",
        {"meetup": meetup, "form": form, "errors": error_summary(form)},
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
