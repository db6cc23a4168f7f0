"""Single sign-on is a setting away (docs/single-sign-on.md): with the OpenID Connect
variables set, the site starts and its sign-in page offers the organization's sign-in."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

RENDER = """
import django
django.setup()
from django.test import Client
html = Client().get("/accounts/login/", HTTP_HOST="127.0.0.1").content.decode()
print("offered" if "Council Login" in html and "/accounts/oidc/council/login/" in html else html)
"""


def test_openid_connect_is_switched_on_by_its_variables(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SSO_OIDC_SERVER_URL": "https://idp.example.org/realms/council",
        "SSO_OIDC_CLIENT_ID": "meetups",
        "SSO_OIDC_CLIENT_SECRET": "not-a-real-secret",
        "SSO_OIDC_PROVIDER_ID": "council",
        "SSO_OIDC_NAME": "Council Login",
    }
    run = {"cwd": ROOT, "capture_output": True, "text": True, "timeout": 120}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], env=env, **run)
    assert migrate.returncode == 0, migrate.stderr
    page = subprocess.run([sys.executable, "-c", RENDER], env=env, **run)
    assert page.returncode == 0, page.stderr
    assert page.stdout.strip() == "offered", page.stdout[-2000:]

    # Half a configuration stops the start with a clear message.
    del env["SSO_OIDC_CLIENT_SECRET"]
    check = subprocess.run([sys.executable, "manage.py", "check"], env=env, **run)
    assert check.returncode != 0
    assert "SSO_OIDC_CLIENT_ID and SSO_OIDC_CLIENT_SECRET are needed" in check.stderr
