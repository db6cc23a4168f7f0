import sys

import redis
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as default_server_error

from . import health
from .middleware import database_unavailable_response, is_database_outage, log_database_outage


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # any failure means "down"; the message says which
        return False, f"unreachable: {exc.__class__.__name__}"


def _broker_ok() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "not configured (tasks run in-process)"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        client.ping()
        return True, "ok"
    except Exception as exc:
        return False, f"unreachable: {exc.__class__.__name__}"


@never_cache
def healthz(request):
    """Health of each part, for load balancers and the person on call."""
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    healthy = db_ok and broker_ok
    details = {"database": db_detail, "broker": broker_detail}
    if db_ok:  # the apps' checks read the database
        for name, check in health.CHECKS.items():
            try:
                ok, details[name] = check()
            except Exception as exc:  # a check that breaks is a part that is down
                ok, details[name] = False, f"check failed: {exc.__class__.__name__}"
            healthy = healthy and ok
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **details},
        status=200 if healthy else 503,
    )


def server_error(request):
    """The 500 handler: a database outage outside a view (a session being saved, say) is
    still a 503 with the plain message; anything else is the static 500 page."""
    exc = sys.exc_info()[1]
    if is_database_outage(exc):
        log_database_outage(request.path, exc)
        return database_unavailable_response(exc)
    return default_server_error(request)


def bad_request(request, exception):
    """The 400 handler: a body over the size limit is a 413; too many fields, a broken
    upload or a bad host header a 400. Each says what happened in plain words."""
    if isinstance(exception, RequestDataTooBig):
        status, message = (
            413,
            "What you sent is too large for this site. Shorten your answers and send them again.",
        )
    elif isinstance(exception, TooManyFieldsSent):
        status, message = 400, "What you sent has too many fields. Reload the form and try again."
    else:
        status, message = 400, "The site could not understand what your browser sent."
    return render(request, "400.html", {"message": message}, status=status)


@require_safe
@cache_control(public=True, max_age=30 * 24 * 3600)
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page's <link> says:
    the program's mark from the static files, kept for a month (the icon rarely changes)."""
    path = finders.find("favicon.ico")
    if path is None:  # a deployment without the static folder: say so rather than 500
        raise Http404("No favicon.ico among the static files.")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")
