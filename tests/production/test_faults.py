"""Faults: with the database unreachable the site answers 503 with a plain message (not a
server error with a stack trace), and /healthz says which part is down."""

import json
import sys

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from bench.smtp_sink import free_port
from config.views import server_error
from notifications.outbox import sweep

from .helpers import gunicorn, http_get, production_env

PAGES_THAT_NEED_THE_DATABASE = [
    "/",
    "/guidelines/",
    "/propose/",
    "/proposals/some-private-token-value/",
    "/meetups/",
    "/meetups.json",
]
STAFF_PAGES = ["/admin/", "/reviews/", "/reviews/outbox/"]


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://postgres@127.0.0.1:{port}/meetups",
        "sqlite:////nonexistent-directory/{port}/db.sqlite3",
    ],
    ids=["postgresql-port-closed", "sqlite-file-unreachable"],
)
def test_database_down_pages_answer_503_and_healthz_names_the_database(
    database_url, collected_static, tmp_path
):
    """Outage: the application is served by gunicorn with production settings, pointed at
    a database that cannot be reached. Every page that needs it answers 503 with a plain
    message and Retry-After (no traceback, nothing that needs the database to render);
    /healthz answers 503 naming the database; the log says what happened."""
    log = tmp_path / "gunicorn.log"
    env = production_env(
        DATABASE_URL=database_url.format(port=free_port()),
        DJANGO_STATIC_ROOT=collected_static,
        DJANGO_SSL_REDIRECT="0",
    )
    with gunicorn(env, log_path=log) as port:
        for path in PAGES_THAT_NEED_THE_DATABASE:
            status, headers, body = http_get(port, path)
            assert status == 503, (path, status, body[:300])
            assert "Temporarily unavailable" in body
            assert "Traceback" not in body and "OperationalError" not in body
            assert headers["retry-after"] == "60"
            assert "no-store" in headers["cache-control"]
            assert "content-security-policy" in headers

        # A staff member's session must be looked up in the database: also a 503.
        for path in STAFF_PAGES:
            status, _, body = http_get(port, path, headers={"Cookie": "sessionid=" + "a" * 32})
            assert status == 503 and "Temporarily unavailable" in body, path

        status, headers, body = http_get(port, "/healthz")
        assert status == 503
        health = json.loads(body)
        assert health["status"] == "degraded"
        assert health["database"].startswith("unreachable")
        assert health["broker"].startswith("not configured")
    assert "Database unavailable at /propose/" in log.read_text()


@pytest.mark.django_db
def test_broker_down_healthz_names_the_broker(client, settings):
    """Redis unreachable (a closed port): /healthz is 503 and says the broker is down while
    the database is fine, so the person on call looks in the right place."""
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    sweep()  # beat ran a moment ago (tests/notifications/test_beat_heartbeat.py: when not)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    # Each timed job's last run (issue 23): the sweep just ran (it keeps its own job's
    # heartbeat, so beat and the job list agree), the others never.
    jobs = body.pop("timed_jobs")
    assert jobs.startswith("sweep-notifications: last run "), jobs
    assert "send-reminders: never run" in jobs
    assert body == {
        "status": "degraded",
        "database": "ok",
        "broker": "unreachable: ConnectionError",
        "beat": "ok",
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client, settings):
    from tests.conftest import redis_url

    settings.REDIS_URL = redis_url()
    sweep()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert "group-lifecycle: never run" in body.pop("timed_jobs")
    assert body == {"status": "ok", "database": "ok", "broker": "ok", "beat": "ok"}


def test_database_error_outside_a_view_is_still_a_503_page():
    """A database failure after the view (a session being saved, say) reaches the 500
    handler: it answers with the same plain 503 page; other errors keep the 500 page."""
    request = RequestFactory().get("/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert b"Temporarily unavailable" in response.content
    try:
        raise KeyError("a bug")
    except KeyError:
        assert sys.exc_info()[0] is KeyError
        response = server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
