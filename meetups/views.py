"""The public directory (HTML and JSON), one group's page, and program managers' edit and
archive. Views parse requests; meetups.services decides.

The directory is rendered once per directory version and kept in the default cache; the
version lives in the database (meetups.services.directory_state), so every web process sees
a change at once, and it doubles as the ETag and Last-Modified for conditional requests."""

import json
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from intake.actors import is_program_manager
from intake.forms import error_summary

from . import services
from .forms import MeetupForm, organizer_formset
from .models import Meetup

CACHE_SECONDS = 24 * 3600


def _release() -> str:
    """Changes when the page templates or styles change (a deploy), so an ETag from the
    previous release is never answered with 304."""
    root = Path(settings.BASE_DIR)
    files = [
        root / "templates" / "base.html",
        *sorted((root / "templates" / "meetups").glob("*.html")),
        root / "static" / "css" / "site.css",
    ]
    return format(int(sum(f.stat().st_mtime for f in files if f.exists())), "x")


RELEASE = _release()


def _conditional(request, *, etag: str, changed_at, render_response):
    """Answer 304 when the client's copy is current; otherwise render, with validators."""
    timestamp = int(changed_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = render_response()
    if request.method in ("GET", "HEAD"):
        response.headers.setdefault("ETag", etag)
        response.headers["Last-Modified"] = http_date(timestamp)
        # Browsers may keep a copy but must ask (cheaply, with the ETag) before using it.
        patch_cache_control(response, no_cache=True)
    return response


def _groups_data(groups) -> list[dict]:
    return [
        {
            "name": m.name,
            "slug": m.slug,
            "url": m.url,
            "organizers": [{"name": o.name, "role": o.role_label} for o in m.organizers.all()],
            "organizers_line": m.organizers_line,
            "description": m.description,
            "page": settings.SITE_URL + reverse("meetups:detail", kwargs={"slug": m.slug}),
        }
        for m in groups
    ]


def _directory_fragment(version: int) -> str:
    key = f"meetups:directory:html:{version}:{RELEASE}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "meetups/_directory.html",
            {
                "intro": services.directory_page().intro,
                "meetups": list(Meetup.objects.for_directory()),
            },
        )
        cache.set(key, html, CACHE_SECONDS)
    # Rendered by our own template from escaped data; a cache backend may hand back plain str.
    return mark_safe(html)  # noqa: S308


@require_http_methods(["GET", "HEAD"])
def directory(request):
    version, changed_at = services.directory_state()
    # The page around the list shows who is signed in, so the ETag names the user too.
    user = request.user.pk if request.user.is_authenticated else 0
    etag = f'"directory-{version}-{user}-{RELEASE}"'

    def render_page():
        return render(
            request,
            "meetups/directory.html",
            {
                "directory_html": _directory_fragment(version),
                "is_manager": is_program_manager(request.user),
            },
        )

    return _conditional(request, etag=etag, changed_at=changed_at, render_response=render_page)


@require_http_methods(["GET", "HEAD"])
def directory_json(request):
    version, changed_at = services.directory_state()
    etag = f'"directory-json-{version}"'

    def render_json():
        key = f"meetups:directory:json:{version}"
        body = cache.get(key)
        if body is None:
            body = json.dumps(
                {
                    "program": settings.PROGRAM_NAME,
                    "intro": services.directory_page().intro,
                    "updated_at": changed_at.isoformat(),
                    "groups": _groups_data(Meetup.objects.for_directory()),
                },
                ensure_ascii=False,
                indent=2,
            )
            cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Access-Control-Allow-Origin"] = "*"  # public data, for other sites to show
        return response

    return _conditional(request, etag=etag, changed_at=changed_at, render_response=render_json)


def _listed_or_404(slug: str) -> Meetup:
    return get_object_or_404(Meetup.objects.listed().prefetch_related("organizers"), slug=slug)


@require_http_methods(["GET", "HEAD"])
def detail(request, slug):
    meetup = _listed_or_404(slug)
    return render(
        request,
        "meetups/detail.html",
        {"meetup": meetup, "is_manager": is_program_manager(request.user)},
    )


def manager_required(view):
    """Program managers only: others are sent to sign in, signed-in reviewers get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not is_program_manager(request.user):
            raise PermissionDenied("Only program managers can change listed groups.")
        return view(request, *args, **kwargs)

    return wrapper


@manager_required
@require_http_methods(["GET", "POST"])
def edit(request, slug):
    meetup = _listed_or_404(slug)
    people = [{"name": o.name, "role": o.role_label} for o in meetup.organizers.all()]
    if request.method == "POST":
        form = MeetupForm(request.POST, instance=meetup)
        formset = organizer_formset(data=request.POST, initial=people)
        if form.is_valid() and formset.is_valid():
            services.update_meetup(
                meetup=meetup,
                name=form.cleaned_data["name"],
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                organizers=formset.people(),
            )
            messages.success(request, f"{meetup.name} is saved. The directory shows the change.")
            return redirect(meetup.get_absolute_url())
        # Validation wrote the rejected answers onto the instance; the page title and links
        # must keep the saved name (the form still shows what was typed).
        meetup.refresh_from_db(fields=["name", "url", "description"])
        status = 400
    else:
        form = MeetupForm(instance=meetup)
        formset = organizer_formset(initial=people)
        status = 200
    errors = error_summary(form, formset)
    return render(
        request,
        "meetups/edit.html",
        {"meetup": meetup, "form": form, "formset": formset, "errors": errors},
        status=status,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def archive(request, slug):
    meetup = _listed_or_404(slug)
    if request.method == "POST":
        services.archive_meetup(meetup=meetup)
        messages.success(
            request,
            f"{meetup.name} is archived: it no longer appears on the directory. "
            "An administrator can list it again from the admin.",
        )
        return redirect("meetups:directory")
    return render(request, "meetups/archive.html", {"meetup": meetup})
