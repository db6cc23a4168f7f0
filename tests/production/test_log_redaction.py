"""gunicorn as the Dockerfile runs it (access log on): a private link, in the request line
or in a Referer, reaches neither the access log nor Django's error log."""

import re
import secrets
from pathlib import Path

from bench.smtp_sink import free_port

from .helpers import gunicorn, http_get, production_env

ROOT = Path(__file__).resolve().parent.parent.parent


def test_gunicorn_logs_hold_no_private_link(tmp_path, collected_static):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--access-logfile -" in dockerfile  # the access log this test turns on too
    log = tmp_path / "gunicorn.log"
    # No database: the pages answer 503, which Django's request logger reports as an error.
    env = production_env(
        DATABASE_URL=f"sqlite:////nonexistent-directory/{free_port()}/db.sqlite3",
        DJANGO_STATIC_ROOT=collected_static,
        DJANGO_SSL_REDIRECT="0",
    )
    token = secrets.token_urlsafe(32)
    with gunicorn(env, log_path=log, args=["--access-logfile", "-"]) as port:
        http_get(port, f"/proposals/{token}/")
        http_get(port, f"/groups/{token}/details/?x=1")
        http_get(port, "/meetups/", headers={"Referer": f"http://127.0.0.1/proposals/{token}/"})
    text = log.read_text()
    assert re.search(r'"GET /proposals/\[private\]/ HTTP/1\.[01]" 503', text), text
    assert "/groups/[private]/details/" in text
    assert "Service Unavailable: /proposals/[private]/" in text
    assert token not in text
