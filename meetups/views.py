"""The public directory (HTML and JSON) and one group's page (program managers' edit and
archive: meetups.staff_views). Views parse requests; meetups.services decides. The directory's HTTP cache (what is
kept, ETags, invalidation) is meetups.cache."""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.roles import is_program_manager
from config.middleware import escape_json_for_html

from . import meeting_lists, services
from .cache import (
    RELEASE,
    RENDERED,
    Body,
    body_response,
    conditional_response,
    dated_state,
    shared_page,
)
from .meeting_lists import meeting_context
from .models import Meetup, Topic


def _occurrence_data(occ) -> dict | None:
    if occ is None:
        return None
    return {
        "title": occ.title,
        "start": occ.start.isoformat(),
        "end": occ.end.isoformat(),
        "online": occ.online,
        "in_person": occ.in_person,
        "venue": occ.venue,
        "address": occ.address,
        "join_url": occ.join_url,
        "note": occ.note,
    }


def _groups_data(groups, nexts) -> list[dict]:
    return [
        {
            "name": m.name,
            "slug": m.slug,
            "url": m.public_url,  # none while the weekly check finds it broken
            "organizers": [{"name": o.name, "role": o.role_label} for o in m.organizers.all()],
            "organizers_line": m.organizers_line,
            "description": m.description,
            "page": settings.SITE_URL + m.get_absolute_url(),
            "calendar": settings.SITE_URL + m.feed_url(),
            "topics": [t.name for t in m.topics.all()],
            "next_meeting": _occurrence_data(nexts.get(m.pk)),
            "meeting_details": m.meeting_details,
            # The date as the directory page shows it: in the program's time zone.
            "last_confirmed": (
                timezone.localdate(m.last_confirmed_at).isoformat() if m.last_confirmed_at else None
            ),
            "confirmed_recently": m.confirmed_recently,
        }
        for m in groups
    ]


def _filtered(filters: meeting_lists.Filters):
    """(groups, next meeting by group) for the filters."""
    by_group = meeting_lists.meetings_by_group()
    nexts = meeting_lists.next_by_group(by_group)
    groups = meeting_lists.apply(
        Meetup.objects.for_directory(), filters, by_group=by_group, nexts=nexts
    )
    return groups, nexts


def _kept(state, name: str, filters, build):
    """Kept for the state when the filters are from the finite set (topic, format, soon);
    a page for typed words (or values that name nothing) is built each time, so no one can
    fill the memory with them."""
    if filters.words or filters.unknown:
        return build()
    return RENDERED.get(state, f"{name}:{filters.key}", build)


def _directory_fragment(state, filters) -> str:
    def build():
        groups, nexts = _filtered(filters)
        return render_to_string(
            "meetups/_directory.html",
            {
                "intro": services.directory_page().intro,
                "meetups": groups,
                "nexts": nexts,
                "filters": filters,
                "topics": list(Topic.objects.all()),
                "formats": FORMAT_CHOICES,
            },
        )

    # Rendered by our own template from escaped data.
    return mark_safe(_kept(state, "fragment", filters, build))  # noqa: S308


FORMAT_CHOICES = [
    ("", _("Any")),
    ("in_person", _("In person")),
    ("online", _("Online")),
    ("both", _("Both (hybrid)")),
]


def _is_shared_view(request) -> bool:
    """The page is the same for everyone who is not signed in and has no message waiting
    (counting messages does not mark them shown)."""
    return not request.user.is_authenticated and not len(messages.get_messages(request))


def _renamed(request, filters):
    """A link from before a topic's rename: the same list at the topic's address now."""
    query = request.GET.copy()
    query["topic"] = filters.renamed_to
    return redirect(f"{request.path}?{query.urlencode()}")


@require_http_methods(["GET", "HEAD"])
def directory(request):
    state = dated_state()
    version, changed_at, today = state
    filters = meeting_lists.Filters.from_query(request.GET)
    if filters.renamed_to:
        return _renamed(request, filters)
    # The page around the list shows who is signed in, so the ETag names the user too; the
    # date, because the next meetings move on with it; the filters, as they change the list.
    user = request.user.pk if request.user.is_authenticated else 0
    digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:12]
    # Weak tags: the plain and the compressed copy are one page in two encodings.
    etag = f'W/"directory-{version}-{today}-{digest}-{user}-{RELEASE}"'

    def page_for(request):
        return render(
            request,
            "meetups/directory.html",
            {
                "directory_html": _directory_fragment(state, filters),
                "is_manager": is_program_manager(request.user),
                "filters": filters,
            },
        )

    def render_page():
        if not _is_shared_view(request):
            return page_for(request)
        body = _kept(state, "page", filters, lambda: Body.of(page_for(request).content))
        return body_response(request, body, content_type="text/html; charset=utf-8")

    return conditional_response(
        request, etag=etag, changed_at=changed_at, render_response=render_page
    )


@require_http_methods(["GET", "HEAD"])
def directory_json(request):
    state = dated_state()
    version, changed_at, today = state
    filters = meeting_lists.Filters.from_query(request.GET)
    if filters.renamed_to:
        return _renamed(request, filters)
    digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:12]
    etag = f'W/"directory-json-{version}-{today}-{digest}"'

    def json_body() -> Body:
        groups, nexts = _filtered(filters)
        text = json.dumps(
            {
                "program": settings.PROGRAM_NAME,
                "intro": services.directory_page().intro,
                "updated_at": changed_at.isoformat(),
                "calendar": settings.SITE_URL + reverse("meetups:program_feed"),
                "groups": _groups_data(groups, nexts),
            },
            ensure_ascii=False,
            indent=2,
        )
        return Body.of(escape_json_for_html(text.encode()))

    if filters.unknown:
        # Asked for something that does not exist: say so, rather than answer everything.
        response = JsonResponse({"error": " ".join(filters.unknown)}, status=400)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def render_json():
        body = _kept(state, "json", filters, json_body)
        response = body_response(request, body, content_type="application/json; charset=utf-8")
        response.json_escaped = True  # before it was stored (see JsonHtmlEscapeMiddleware)
        response["Access-Control-Allow-Origin"] = "*"  # public data, for other sites to show
        return response

    return conditional_response(
        request, etag=etag, changed_at=changed_at, render_response=render_json
    )


def _listed_or_404(slug: str) -> Meetup:
    return get_object_or_404(Meetup.objects.for_directory(), slug=slug)


@require_http_methods(["GET", "HEAD"])
def detail(request, slug):
    def render_page():
        meetup = _listed_or_404(slug)
        return render(
            request,
            "meetups/detail.html",
            {
                "meetup": meetup,
                "is_manager": is_program_manager(request.user),
                **meeting_context(meetup),
            },
        )

    # Only a listed group's page is kept (an unknown slug raises 404 before anything is).
    return shared_page(request, name=f"detail:{slug}", render_page=render_page)
