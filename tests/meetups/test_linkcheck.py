"""The weekly link check, against a local HTTP server on loopback that answers 200, 301,
404, 500, hangs past the timeout and loops redirects. No request leaves the machine."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from common.actors import ORGANIZER
from meetups import access, group_details, linkcheck
from meetups.models import LinkCheck
from notifications.models import Kind, Notification
from tests import factories

pytestmark = pytest.mark.django_db

TIMEOUT = 0.5  # seconds: the test's own, far below the 10 s default


class Handler(BaseHTTPRequestHandler):
    release = threading.Event()  # the hanging path waits on it; set when the server stops
    seen_agents: list[str] = []

    def log_message(self, *args):
        pass

    def _answer(self, send_body: bool):
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/ok":
            self._send(200)
        elif path == "/moved":
            self._send(301, location="/ok")
        elif path == "/temporary":
            self._send(302, location="/ok")
        elif path == "/missing":
            self._send(404)
        elif path == "/error":
            self._send(500)
        elif path == "/loop":
            self._send(302, location="/loop")
        elif path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200)
        elif path == "/hang":
            self.release.wait(10)  # far past the check's timeout
            self._send(200)
        else:
            self._send(404)

    def _send(self, status, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture
def server(settings):
    # The test server is on loopback, which the check reaches only with this setting.
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    Handler.release.clear()
    Handler.seen_agents = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(
    ("path", "status", "error", "moved"),
    [
        ("/ok", 200, "", False),
        ("/moved", 200, "", True),
        ("/temporary", 200, "", False),
        ("/missing", 404, "", False),
        ("/error", 500, "", False),
        ("/no-head", 200, "", False),
        ("/loop", None, "more than 5 redirects", False),
        ("/hang", None, "timed out", False),
    ],
)
def test_each_answer_is_stored_as_expected(server, settings, path, status, error, moved):
    group = factories.meetup(url=server + path)
    report = linkcheck.check_links(timeout=TIMEOUT)
    assert report.checked == 1
    check = LinkCheck.objects.get(meetup=group)
    assert (check.status_code, check.error) == (status, error)
    assert check.moved_to == (server + "/ok" if moved else "")
    assert check.failures == (0 if status == 200 else 1)
    assert all(a.startswith(settings.PROGRAM_NAME + " link checker") for a in Handler.seen_agents)


def test_three_failures_in_a_row_break_the_link_once_and_the_directory_hides_it(client, server):
    group = factories.meetup(url=server + "/missing", name="Lost Links")
    group.contacts.create(name="Ada", email="ada@example.org")
    manager = factories.staff_user(role="manager")
    start = timezone.now()
    for week in range(4):
        linkcheck.check_links(now=start + timedelta(weeks=week), timeout=TIMEOUT)
        # The weekly task running twice checks nothing more.
        assert (
            linkcheck.check_links(now=start + timedelta(weeks=week), timeout=TIMEOUT).checked == 0
        )
    check = LinkCheck.objects.get(meetup=group)
    assert check.failures == 4 and check.broken_since == start + timedelta(weeks=2)
    assert list(group.history.values_list("kind", flat=True)) == ["link_broken"]
    asked = Notification.objects.filter(kind=Kind.GROUP_LINK_BROKEN)
    assert sorted(asked.values_list("recipient", flat=True)) == sorted(
        ["ada@example.org", manager.email]
    )
    directory = client.get("/meetups/").content.decode()
    assert "Lost Links" in directory and server + "/missing" not in directory
    assert server + "/missing" not in client.get("/meetups.json").content.decode()
    assert server + "/missing" not in client.get(f"/meetups/{group.slug}/").content.decode()
    client.force_login(manager)
    assert "link broken since" in client.get("/reviews/groups/").content.decode().lower()

    # The organizer fixes the address: it shows at once, and the next check clears it.
    group_details.update_details(meetup=group, actor=ORGANIZER, details={"url": server + "/ok"})
    client.logout()
    assert server + "/ok" in client.get("/meetups/").content.decode()
    linkcheck.check_links(now=start + timedelta(weeks=5), timeout=TIMEOUT)
    check.refresh_from_db()
    assert (check.failures, check.broken_since, check.status_code) == (0, None, 200)
    # The history says it works again (the report counts it), once, and nobody is emailed.
    emails = Notification.objects.count()
    linkcheck.check_links(now=start + timedelta(weeks=6), timeout=TIMEOUT)
    kinds = list(group.history.values_list("kind", flat=True))
    assert [k for k in kinds if k.startswith("link_")] == ["link_broken", "link_mended"]
    assert Notification.objects.count() == emails


def test_a_permanent_redirect_is_offered_to_the_organizers(client, server):
    group = factories.meetup(url=server + "/moved")
    contact = group.contacts.create(name="Ada", email="ada@example.org")
    linkcheck.check_links(timeout=TIMEOUT)

    page = f"/groups/{access.issue_group_link(contact=contact)}/"
    body = client.get(page).content.decode()
    assert server + "/ok" in body
    client.post(page + "details/", {"use_moved_address": "1"})
    group.refresh_from_db()
    assert group.url == server + "/ok"
