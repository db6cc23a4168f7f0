"""Site-wide response rules that must hold for every view, present and future."""

import logging
import re

from django.db import InterfaceError, OperationalError, ProgrammingError
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

logger = logging.getLogger(__name__)

# Pages that show a private proposal, staff data or a sign-in form. Prefixes rather than
# per-view decorators, so reviewer pages and the outbox are covered the day they are added.
PRIVATE_PATH_PREFIXES = ("/proposals/", "/reviews/", "/admin/", "/accounts/")
# Program managers' pages inside the public directory.
PRIVATE_PATH_PATTERN = re.compile(r"^/meetups/[^/]+/(edit|archive)/")


class PrivatePagesMiddleware:
    """Private pages are never stored by a browser or proxy cache. (Their Referrer-Policy
    is the site's `same-origin`: no other site ever sees the address. Not `no-referrer`:
    with it browsers send `Origin: null` on form posts, which CSRF protection refuses.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path_info
        if path.startswith(PRIVATE_PATH_PREFIXES) or PRIVATE_PATH_PATTERN.match(path):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
            response["Referrer-Policy"] = "same-origin"
        return response


JSON_HTML_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def escape_json_for_html(content: bytes) -> bytes:
    """<, > and & written as \\u escapes: the same data for any JSON reader, and harmless
    even if a consumer pastes it into an HTML page (as Django's json_script does). In JSON
    these characters can only occur inside strings, and never inside a multi-byte UTF-8
    sequence, so replacing the bytes is always safe."""
    for raw, escaped in JSON_HTML_ESCAPES:
        content = content.replace(raw, escaped)
    return content


class JsonHtmlEscapeMiddleware:
    """Every JSON response goes out escaped by escape_json_for_html. A view that stores a
    body compressed escapes it before compressing and marks the response
    `json_escaped = True` (compressed bytes cannot be rewritten here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or getattr(response, "json_escaped", False)
            or not response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        if response.has_header("Content-Encoding"):
            logger.error("JSON response to %s is compressed and was not escaped", request.path)
            return response
        content = escape_json_for_html(response.content)
        response.content = content
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(content))
        return response


# Written out here, not a template: rendering must not need the database or anything else
# that may be down.
UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title></head>
<body><main><h1>Temporarily unavailable</h1><p>The site cannot reach its database just now.
Nothing you sent was saved unless you saw a confirmation. Please try again in a few
minutes.</p></main></body></html>
"""


# A database that answers but lacks a table has not been set up (migrate not run): saying
# it cannot be reached would send the person on call after the wrong fault.
SETTING_UP_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Being set up</title></head>
<body><main><h1>The site is being set up</h1><p>It is not ready to take requests yet.
Nothing you sent was saved. Please try again in a few minutes.</p></main></body></html>
"""
# How SQLite and PostgreSQL name a missing table.
MISSING_TABLE = re.compile(r'no such table: "?([\w.]+)|relation "([\w.]+)" does not exist')


def missing_table(exc: BaseException | None) -> str | None:
    """The name of the table the database says does not exist, else None."""
    if not isinstance(exc, OperationalError | ProgrammingError):
        return None
    match = MISSING_TABLE.search(str(exc))
    return (match.group(1) or match.group(2)) if match else None


def database_unavailable_response(exc: BaseException | None = None) -> HttpResponse:
    page = SETTING_UP_PAGE if missing_table(exc) else UNAVAILABLE_PAGE
    response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = "60"
    add_never_cache_headers(response)
    return response


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError) or bool(missing_table(exc))


def log_database_outage(path: str, exc: BaseException) -> None:
    table = missing_table(exc)
    if table:
        logger.error(
            "Database table %s is missing at %s: the database is not set up. "
            "Run `python manage.py migrate` (it also creates the cache table).",
            table,
            path,
            exc_info=exc,
        )
    else:
        logger.error("Database unavailable at %s", path, exc_info=exc)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with a plain message, not 500.
    (Failures outside views are caught by config.views.server_error.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        log_database_outage(request.path, exception)
        return database_unavailable_response(exception)
