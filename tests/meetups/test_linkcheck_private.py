"""The link check connects only to public addresses. Real listeners on loopback (127.0.0.1,
and ::1 where the machine has IPv6) count every request they get: with the default settings
none reaches them, by address in any spelling, by name, by a redirect from an outside-looking
server or by a DNS answer; LINK_CHECK_ALLOW_PRIVATE lets them through. What organizers and
staff read about a failure says nothing of the network behind it."""

import contextlib
import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from meetups import access, addresses, linkcheck
from meetups.models import LinkCheck
from tests import factories

pytestmark = pytest.mark.django_db

TIMEOUT = 2


class Counting(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.server.hits.append(self.path)
        target = getattr(self.server, "redirect_to", "")
        self.send_response(302 if target else 200)
        if target:
            self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD


class V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


@contextlib.contextmanager
def listener(host="127.0.0.1", *, redirect_to=""):
    server_class = V6Server if ":" in host else ThreadingHTTPServer
    httpd = server_class((host, 0), Counting)
    httpd.daemon_threads = True
    httpd.hits, httpd.redirect_to = [], redirect_to
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def _check(url: str) -> LinkCheck:
    group = factories.meetup(url=url)
    linkcheck.check_links(timeout=TIMEOUT)
    return LinkCheck.objects.get(meetup=group)


SPELLINGS = [
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://LOCALHOST:{port}/",
    "http://2130706433:{port}/",
    "http://0x7f.1:{port}/",
    "http://127.1:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "https://127.0.0.1:{port}/",
]

# Each of these reaches the listener when the setting allows it (the https one cannot: the
# listener speaks plain HTTP), so their refusal above is the rule's doing.
REACHABLE = [s for s in SPELLINGS if s.startswith("http:")]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_no_request_reaches_loopback_by_address_or_name(spelling):
    with listener() as server:
        check = _check(spelling.format(port=server.server_address[1]))
    assert server.hits == []
    assert (check.status_code, check.error) == (None, linkcheck.UNREACHABLE)


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="this machine has no IPv6 loopback")
@pytest.mark.parametrize("spelling", ["http://[::1]:{port}/", "http://[0:0:0:0:0:0:0:1]:{port}/"])
def test_no_request_reaches_the_ipv6_loopback(spelling, settings):
    with listener("::1") as server:
        url = spelling.format(port=server.server_address[1])
        check = _check(url)
        assert server.hits == [] and check.error == linkcheck.UNREACHABLE
        settings.LINK_CHECK_ALLOW_PRIVATE = True
        LinkCheck.objects.all().delete()
        assert linkcheck.fetch(url, timeout=TIMEOUT).status_code == 200
    assert server.hits == ["/"]


def test_the_setting_lets_the_loopback_server_through(settings):
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    with listener() as server:
        for spelling in REACHABLE:
            url = spelling.format(port=server.server_address[1])
            assert linkcheck.fetch(url, timeout=TIMEOUT).status_code == 200, url
    assert server.hits == ["/"] * len(REACHABLE)


@pytest.fixture
def outside_looking(monkeypatch):
    """127.0.0.2 plays a public server: the rule counts it as public, nothing else changes."""
    real = addresses.is_public
    outside = ipaddress.ip_address("127.0.0.2")
    monkeypatch.setattr(addresses, "is_public", lambda ip: ip == outside or real(ip))
    return "127.0.0.2"


def test_no_request_reaches_loopback_by_a_redirect(outside_looking):
    with listener() as inside:
        target = f"http://127.0.0.1:{inside.server_address[1]}/secret"
        with listener(outside_looking, redirect_to=target) as outside:
            check = _check(f"http://{outside_looking}:{outside.server_address[1]}/")
    assert outside.hits == ["/"]  # the outside server was asked ...
    assert inside.hits == []  # ... and its redirect inside was not followed
    assert check.error == linkcheck.UNREACHABLE and check.final_url == target


def test_no_request_reaches_loopback_by_dns_answer(monkeypatch):
    real_getaddrinfo = socket.getaddrinfo

    def rebound(host, *args, **kwargs):
        if host == "groups.example.org":  # a public-looking name answering loopback
            host = "127.0.0.1"
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebound)
    with listener() as server:
        check = _check(f"http://groups.example.org:{server.server_address[1]}/")
    assert server.hits == []
    assert check.error == linkcheck.UNREACHABLE


def test_the_address_checked_is_the_one_connected_to(monkeypatch, outside_looking):
    """DNS rebinding: a name answering an outside address when checked and loopback next
    time gets one lookup per request, and the connection goes to the address checked."""
    real_getaddrinfo = socket.getaddrinfo
    answers = iter([outside_looking] + ["127.0.0.1"] * 10)
    lookups = []

    def rebinding(host, *args, **kwargs):
        if host == "rebind.example.org":
            lookups.append(host)
            host = next(answers)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with listener() as inside, listener(outside_looking) as outside:
        port = outside.server_address[1]
        outcome = linkcheck.fetch(f"http://rebind.example.org:{port}/", timeout=TIMEOUT)
    assert outcome.status_code == 200 and len(lookups) == 1
    assert outside.hits == ["/"] and inside.hits == []


def test_a_socket_that_reached_an_internal_address_is_refused():
    with (
        listener() as server,
        socket.create_connection(server.server_address) as sock,
        pytest.raises(addresses.NotPublic),
    ):
        addresses.check_peer(sock)


def test_failures_say_nothing_of_the_inside(client, settings):
    """A closed port on loopback, reached with the setting on: the page and emails read the
    fixed words, never "Connection refused"."""
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        settings.LINK_CHECK_FAILURES = 1
        group = factories.meetup(url=f"http://127.0.0.1:{port}/")
        contact = group.contacts.create(name="Ada", email="ada@example.org")
        linkcheck.check_links(timeout=TIMEOUT)
    check = LinkCheck.objects.get(meetup=group)
    assert check.error == linkcheck.UNREACHABLE
    page = client.get(f"/groups/{access.issue_group_link(contact=contact)}/").content.decode()
    assert "could not be reached" in page and "refused" not in page.lower()
    event = group.history.get(kind="link_broken")
    assert event.details["problem"] == linkcheck.UNREACHABLE


def test_an_internal_new_address_is_never_offered_nor_saved(client):
    """A permanent redirect's address found by an earlier check (or by a check run with the
    setting on) passes the forms' rules again before it is offered or saved."""
    group = factories.meetup(url="https://moved.example.org/")
    contact = group.contacts.create(name="Ada", email="ada@example.org")
    LinkCheck.objects.create(
        meetup=group,
        url=group.url,
        checked_at=timezone.now(),
        status_code=200,
        moved_to="http://10.0.0.7/admin",
    )
    page = f"/groups/{access.issue_group_link(contact=contact)}/"
    assert "10.0.0.7" not in client.get(page).content.decode()
    client.post(page + "details/", {"use_moved_address": "1"})
    group.refresh_from_db()
    assert group.url == "https://moved.example.org/"
