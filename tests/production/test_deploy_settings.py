"""Production settings: `check --deploy` is clean, HTTPS is enforced (also behind a proxy),
HSTS is configurable, and the secret key is required. Each runs the real config.settings in
a separate process with DJANGO_DEBUG off, as a deployment does."""

import json

from .helpers import manage, production_env, run_python


def test_check_deploy_reports_no_warnings_with_production_settings():
    """Misconfiguration attack surface: insecure cookies, no HSTS, no HTTPS redirect,
    DEBUG on, a weak key. `check --deploy --fail-level WARNING` must find none of them."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert "System check identified no issues" in result.stdout


def test_check_deploy_catches_a_weak_secret_key():
    """The check above is a real check: a short secret key is reported (security.W009)."""
    env = production_env(DJANGO_SECRET_KEY="too-short")
    result = run_python(
        "import django, sys; django.setup(); from django.core.management import call_command;"
        "call_command('check', deploy=True)",
        env,
    )
    assert "security.W009" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import django; django.setup()", production_env(DJANGO_SECRET_KEY=None))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


SHOW_SECURITY_SETTINGS = """
import django, json; django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER")}))
"""


def _security_settings(**env) -> dict:
    result = run_python(SHOW_SECURITY_SETTINGS, production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_defaults_are_secure_and_hsts_is_configurable():
    defaults = _security_settings()
    assert defaults["DEBUG"] is False
    assert defaults["SESSION_COOKIE_SECURE"] is True
    assert defaults["CSRF_COOKIE_SECURE"] is True
    assert defaults["SECURE_SSL_REDIRECT"] is True
    assert defaults["SECURE_HSTS_SECONDS"] == 31536000
    assert defaults["SECURE_PROXY_SSL_HEADER"] is None

    tuned = _security_settings(
        DJANGO_HSTS_SECONDS="600",
        DJANGO_HSTS_PRELOAD="0",
        DJANGO_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    assert tuned["SECURE_HSTS_SECONDS"] == 600
    assert tuned["SECURE_HSTS_PRELOAD"] is False
    assert tuned["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_make_run_settings_still_serve_plain_http():
    """`make run` sets DJANGO_DEBUG=1 and serves http://127.0.0.1:8000: no HTTPS redirect,
    no secure-only cookies (the browser would drop them over http)."""
    dev = _security_settings(DJANGO_DEBUG="1", DJANGO_SECRET_KEY=None)
    assert dev["DEBUG"] is True
    assert dev["SECURE_SSL_REDIRECT"] is False
    assert dev["SESSION_COOKIE_SECURE"] is False
    assert dev["CSRF_COOKIE_SECURE"] is False


REQUESTS_OVER_HTTP_AND_PROXY = """
import django, json; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)  # /healthz reads the timed jobs' last runs
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client()
plain = client.get("/accessibility/")
proxied = client.get("/accessibility/", headers={"X-Forwarded-Proto": "https"})
spoofed = client.get("/accessibility/", headers={"X-Forwarded-Proto": "http"})
health = client.get("/healthz")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security", "")],
    "spoofed": [spoofed.status_code, spoofed.get("Location", "")],
    "health": health.status_code,
}))
"""


def test_http_is_redirected_to_https_and_a_proxy_header_is_trusted(collected_static, tmp_path):
    """Downgrade attack: a plain-http request is redirected to https. Behind a proxy that
    terminates TLS and sets X-Forwarded-Proto, the page is served with HSTS. Only /healthz
    answers over http, for health checks."""
    result = run_python(
        REQUESTS_OVER_HTTP_AND_PROXY,
        production_env(
            DJANGO_STATIC_ROOT=collected_static,
            DJANGO_PROXY_SSL_HEADER="X-Forwarded-Proto",
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ),
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://testserver/accessibility/"]
    assert seen["proxied"][0] == 200
    assert seen["proxied"][1] == "max-age=31536000; includeSubDomains; preload"
    assert seen["spoofed"] == [301, "https://testserver/accessibility/"]
    assert seen["health"] == 200  # health checks probe over http inside the host
