"""The outbox for program managers: every email, its delivery status, and resend."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.roles import program_manager_required

from . import beat_watch, heartbeats
from . import outbox as outbox_service
from .models import Notification, Status

PAGE_SIZE = 50


@program_manager_required
def outbox(request):
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    # A NUL (which no stored text holds) is dropped; the box keeps what was typed otherwise.
    search = request.GET.get("q", "").replace("\x00", "")[:200]
    rows = outbox_service.listed(status=status, search=search)
    counts = outbox_service.status_counts()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    beat_ok, beat_detail = beat_watch.watch()
    kept = {key: value for key, value in (("status", status), ("q", search.strip())) if value}
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "status": status,
            "search": search.strip(),
            "query": urlencode(kept),  # kept on the page links
            "statuses": [(value, label, counts[value]) for value, label in Status.choices],
            "beat_problem": "" if beat_ok else beat_detail,
            "timed_jobs": heartbeats.status(),
        },
    )


@program_manager_required
def detail(request, pk):
    notification = get_object_or_404(Notification.objects.select_related("proposal"), pk=pk)
    return render(
        request,
        "notifications/detail.html",
        {
            "notification": notification,
            "body_text": outbox_service.display_body(notification.body_text),
        },
    )


@program_manager_required
def html_version(request, pk):
    """The HTML body on its own, sandboxed: no script, no outside requests."""
    notification = get_object_or_404(Notification, pk=pk)
    response = HttpResponse(outbox_service.display_body(notification.body_html))
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response


@require_POST
@program_manager_required
def resend(request, pk):
    notification = get_object_or_404(Notification, pk=pk)
    if outbox_service.resend(notification=notification):
        messages.success(request, f"The email to {notification.recipient} is queued again.")
    else:
        messages.info(
            request,
            f"The email to {notification.recipient} is {notification.get_status_display().lower()}"
            ", so it was not resent.",
        )
    return redirect("notifications:detail", pk=notification.pk)
