"""Shared by the tests of the timed steps (the nightly pass, the link check)."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.test import override_settings
from django.utils import timezone


def set_lifecycle_days(settings) -> None:
    """Round numbers of days for the check-in, its reminders, the grace and the archiving."""
    settings.CHECK_IN_NOTICE_DAYS = 30
    settings.CHECK_IN_REMINDER_DAYS = 14
    settings.CHECK_IN_GRACE_DAYS = 60
    settings.LAPSED_ARCHIVE_DAYS = 90


def noon(day):
    """Noon on a local date: the pass's 'today' is unambiguous."""
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12))


class _NotFound(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextmanager
def gone_url():
    """The address of a local page that answers 404, for as long as the block runs; the link
    check may reach loopback meanwhile (LINK_CHECK_ALLOW_PRIVATE)."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _NotFound)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with override_settings(LINK_CHECK_ALLOW_PRIVATE=True):
            yield f"http://127.0.0.1:{httpd.server_address[1]}/gone"
    finally:
        httpd.shutdown()
        httpd.server_close()
