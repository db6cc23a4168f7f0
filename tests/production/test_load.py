"""Load: the application under gunicorn (2 workers) on PostgreSQL, 20 organizers
submitting proposals at once for 30 seconds, over loopback. Nothing fails, nothing is lost
or stored twice, every reference is unique. Marked `load`: `make test-load` runs it (and
.ci/run does), the default `make test` does not."""

import http.client
import os
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import pytest

from tests.conftest import REQUIRE_SERVICES
from tests.intake.forms_data import form_data

from .helpers import gunicorn, manage, production_env

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
ADMIN_URL = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r"<strong>(MTG-\d{4}-\d{4})</strong>")


def _admin_connection():
    import psycopg

    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        reason = f"the load test needs PostgreSQL at {ADMIN_URL} ({exc.__class__.__name__})"
        if REQUIRE_SERVICES:
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def load_database():
    """A database of its own, created and migrated for this run and dropped afterwards."""
    name = f"load_test_{os.getpid()}"
    admin = _admin_connection()
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    url = urlparse(ADMIN_URL)._replace(path=f"/{name}").geturl()
    try:
        env = production_env(DATABASE_URL=url)
        manage("migrate", "--noinput", env=env)
        manage("createcachetable", env=env)
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@dataclass
class Organizer:
    """One simulated organizer: a browser with its own cookies, submitting in a loop."""

    number: int
    port: int
    deadline: float
    submitted: dict = field(default_factory=dict)  # group name -> reference
    errors: list = field(default_factory=list)
    cookies: dict = field(default_factory=dict)

    def request(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location", ""), text
        finally:
            conn.close()

    def expect(self, what, status, wanted):
        if status != wanted:
            raise AssertionError(f"{what}: {status}, expected {wanted}")

    def one_proposal(self, n):
        name = f"Load group {self.number}-{n}"
        status, _, html = self.request("GET", "/propose/")
        self.expect("GET /propose/", status, 200)
        data = form_data(name=name, **{"organizers-0-email": f"load{self.number}-{n}@example.org"})
        data["csrfmiddlewaretoken"] = CSRF_INPUT.search(html).group(1)
        status, check_url, _ = self.request("POST", "/propose/", urlencode(data))
        self.expect("POST /propose/", status, 302)
        status, _, html = self.request("GET", check_url)
        self.expect("GET check answers", status, 200)
        assert name in html, "check answers page does not show the group"
        token = CSRF_INPUT.search(html).group(1)
        status, done_url, _ = self.request(
            "POST", check_url, urlencode({"csrfmiddlewaretoken": token})
        )
        self.expect("POST submit", status, 302)
        status, _, html = self.request("GET", done_url)
        self.expect("GET submitted", status, 200)
        self.submitted[name] = REFERENCE.search(html).group(1)

    def run(self):
        n = 0
        while time.monotonic() < self.deadline:
            try:
                self.one_proposal(n)
            except Exception as exc:  # every failure is counted and reported, not raised
                self.errors.append(f"{exc.__class__.__name__}: {exc}")
            n += 1


@pytest.mark.load
@pytest.mark.django_db
def test_twenty_organizers_submitting_at_once_lose_nothing(load_database, collected_static):
    """Concurrency: 20 organizers each loop GET form -> POST -> check answers -> submit for
    30 s against 2 gunicorn workers and PostgreSQL. Zero errors; every proposal a client
    saw submitted is stored once, submitted, with one submit record and its organizers;
    every reference is unique; nothing else was created; every email row is present."""
    import psycopg

    env = production_env(
        DATABASE_URL=load_database,
        DJANGO_STATIC_ROOT=collected_static,
        DJANGO_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        PROPOSALS_PER_HOUR="1000000",  # every client shares 127.0.0.1
        LOG_LEVEL="WARNING",
    )
    with gunicorn(env, workers=2) as port:
        deadline = time.monotonic() + SECONDS
        organizers = [Organizer(i, port, deadline) for i in range(CLIENTS)]
        threads = [threading.Thread(target=o.run) for o in organizers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 120)
        assert not any(t.is_alive() for t in threads), "a client hung"

    errors = [e for o in organizers for e in o.errors]
    submitted = {name: ref for o in organizers for name, ref in o.submitted.items()}
    print(f"\n{len(submitted)} proposals submitted by {CLIENTS} clients in {SECONDS:.0f} s")
    assert errors == []
    assert len(submitted) >= CLIENTS  # every client got through at least once

    with psycopg.connect(load_database) as conn:
        emails = conn.execute(
            "SELECT p.name, n.recipient, n.kind, n.status FROM notifications_notification n"
            " JOIN intake_proposal p ON p.id = n.proposal_id"
        ).fetchall()
        organizer_emails = conn.execute(
            "SELECT p.name, o.email FROM intake_organizer o"
            " JOIN intake_proposal p ON p.id = o.proposal_id"
        ).fetchall()
        rows = conn.execute(
            "SELECT p.name, p.reference, p.state,"
            " (SELECT count(*) FROM intake_proposaltransition t"
            "   WHERE t.proposal_id = p.id AND t.transition = 'submit'),"
            " (SELECT count(*) FROM intake_organizer o WHERE o.proposal_id = p.id)"
            " FROM intake_proposal p"
        ).fetchall()
    stored = {
        name: (reference, state, submits, people)
        for name, reference, state, submits, people in rows
    }
    assert len(rows) == len(stored) == len(submitted), "a proposal was lost or stored twice"
    references = [row[1] for row in rows]
    assert len(set(references)) == len(references), "two proposals share a reference"
    for name, reference in submitted.items():
        assert stored[name] == (reference, "submitted", 1, 2), name

    # Every submission recorded its emails, one per organizer, once, and all went out; so did
    # the draft's link, first saved from the form, to its primary contact (each client's
    # organizer 0 has an address of its own, here the "load..." one).
    expected = sorted(
        [(name, email, "submitted", "sent") for name, email in organizer_emails]
        + [
            (name, email, "draft_saved", "sent")
            for name, email in organizer_emails
            if email.startswith("load")
        ]
    )
    assert sorted(emails) == expected
    assert len(expected) == 3 * len(submitted)
