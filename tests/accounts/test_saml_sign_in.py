"""A real SAML sign-in (docs/single-sign-on.md): a locally made identity provider (its own
self-signed key and certificate) answers the site's AuthnRequest with a signed SAML
Response; the site is configured from the environment only (the IdP's entity ID, sign-in
address and certificate, no metadata fetch). A staff account is signed in; an unknown
address, or a response signed with another key, is refused."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.accounts.saml_idp import ENTITY_ID, SSO_URL, make_key_pair

pytest.importorskip("onelogin.saml2", reason="python3-saml (the dev extras) is not installed")

ROOT = Path(__file__).resolve().parents[2]

SIGN_IN = r"""
import json, os, re, sys
from urllib.parse import parse_qs, urlsplit

import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from tests.accounts.saml_idp import ENTITY_ID, SSO_URL, KeyPair, signed_response

SITE = "http://127.0.0.1"
ACS = f"{SITE}/accounts/saml/council/acs/"
AUDIENCE = f"{SITE}/accounts/saml/council/metadata/"
STAFF = "rita.reviewer@council.example.org"
call_command("add_staff", STAFF, "--role", "reviewer", "--name", "Rita Reviewer")
ours = KeyPair(key_pem=open(os.environ["TEST_IDP_KEY"]).read(), cert_pem="")
theirs = KeyPair(key_pem=open(os.environ["TEST_OTHER_KEY"]).read(), cert_pem=open(os.environ["TEST_OTHER_CERT"]).read())
ours.cert_pem = os.environ["SSO_SAML_X509_CERT"]


def sign_in(email, keys):
    client = Client(HTTP_HOST="127.0.0.1")
    login_page = client.get("/accounts/login/").content.decode()
    offered = "Council Login" in login_page and "/accounts/saml/council/login/" in login_page
    to_idp = client.post("/accounts/saml/council/login/", {"process": "login"})
    location = to_idp["Location"]
    assert location.startswith(SSO_URL), location
    authn_request = OneLogin_Saml2_Utils.decode_base64_and_inflate(
        parse_qs(urlsplit(location).query)["SAMLRequest"][0]
    )
    if isinstance(authn_request, bytes):
        authn_request = authn_request.decode()
    request_id = re.search(r'ID="([^"]+)"', authn_request).group(1)
    response = client.post(
        ACS,
        {
            "SAMLResponse": signed_response(
                keys=keys, in_response_to=request_id, acs_url=ACS, audience=AUDIENCE, email=email
            )
        },
    )
    pages = []
    for _ in range(5):
        if response.status_code not in (301, 302):
            break
        response = client.get(response["Location"])
        pages.append(response.status_code)
    user_id = client.session.get("_auth_user_id")
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return {
        "offered": offered,
        "signed_in_as": user.email if user else None,
        "staff_page": client.get("/reviews/").status_code,
        "page": response.content.decode()[:4000],
    }


print(json.dumps({
    "staff": sign_in(STAFF, ours),
    "unknown": sign_in("stranger@council.example.org", ours),
    "forged": sign_in(STAFF, theirs),
}))
"""


@pytest.fixture
def site_env(tmp_path):
    idp, other = make_key_pair(), make_key_pair()
    (tmp_path / "idp.key").write_text(idp.key_pem)
    (tmp_path / "other.key").write_text(other.key_pem)
    (tmp_path / "other.crt").write_text(other.cert_pem)
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STAFF_PASSWORD": "a long and unguessable test password 7",
        "SSO_SAML_ENTITY_ID": ENTITY_ID,
        "SSO_SAML_SSO_URL": SSO_URL,
        "SSO_SAML_X509_CERT": idp.cert_pem,
        "SSO_SAML_ORGANIZATION": "council",
        "SSO_SAML_NAME": "Council Login",
        "TEST_IDP_KEY": str(tmp_path / "idp.key"),
        "TEST_OTHER_KEY": str(tmp_path / "other.key"),
        "TEST_OTHER_CERT": str(tmp_path / "other.crt"),
    }
    run = {"cwd": ROOT, "capture_output": True, "text": True, "timeout": 240}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], env=env, **run)
    assert migrate.returncode == 0, migrate.stderr
    return env, run


def test_a_signed_saml_response_signs_the_staff_member_in_and_others_are_refused(site_env):
    env, run = site_env
    result = subprocess.run([sys.executable, "-c", SIGN_IN], env=env, **run)
    assert result.returncode == 0, result.stderr[-4000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])

    staff = outcome["staff"]
    assert staff["offered"], "the sign-in page offers the organization's sign-in"
    assert staff["signed_in_as"] == "rita.reviewer@council.example.org", staff["page"]
    assert staff["staff_page"] == 200

    # Nobody gets an account by signing in through the IdP.
    assert outcome["unknown"]["signed_in_as"] is None
    assert outcome["unknown"]["staff_page"] != 200
    # A response signed with a key that is not the IdP's is refused.
    assert outcome["forged"]["signed_in_as"] is None
    assert outcome["forged"]["staff_page"] != 200
    assert "Sign Up Closed" in outcome["unknown"]["page"]
    assert "Login Failure" in outcome["forged"]["page"]
    assert "Signature validation failed" in result.stderr


def test_half_a_saml_configuration_stops_the_start_with_a_clear_message(site_env):
    env, run = site_env
    del env["SSO_SAML_X509_CERT"]
    check = subprocess.run([sys.executable, "manage.py", "check"], env=env, **run)
    assert check.returncode != 0
    assert "needs both SSO_SAML_SSO_URL and SSO_SAML_X509_CERT" in check.stderr
