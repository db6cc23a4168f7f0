"""Security headers on every response (public pages, organizer pages, the reviewer workspace,
the outbox and the directory), and private pages kept out of caches and referrers."""

import re

import pytest
from django.test import Client

from meetups.models import Meetup
from notifications.models import Notification
from tests import factories

PUBLIC_PAGES = [
    "/",
    "/guidelines/",
    "/accessibility/",
    "/propose/",
    "/proposals/find/",
    "/healthz",
    # The staff sign-in (the admin's login page sends people to it) and password reset.
    "/accounts/login/",
    "/accounts/password/reset/",
    "/no-such-page/",
]
PRIVATE_SUFFIXES = ["", "check/", "edit/", "withdraw/"]


def _all_responses(client) -> dict:
    _, token = factories.draft()
    submitted, submitted_token = factories.proposal_in_state("submitted")
    responses = {url: client.get(url) for url in PUBLIC_PAGES}
    for suffix in PRIVATE_SUFFIXES:
        url = f"/proposals/{token}/{suffix}"
        responses[url] = client.get(url)
    url = f"/proposals/{submitted_token}/submitted/"
    responses[url] = client.get(url)
    responses["POST /propose/ (invalid)"] = client.post("/propose/", {"name": "x"})
    return responses


# A <script> without src is inline code, unless it is a JSON data block (allauth's passkey
# pages pass their settings so, as Django's json_script does): browsers never run those.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def assert_security_headers(response, url):
    """The rules every response follows (used for the workspace pages too)."""
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"], url
    assert directives["frame-ancestors"] == ["'none'"], url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not EVENT_HANDLER.search(html), url


@pytest.mark.django_db
def test_every_response_carries_a_strict_content_security_policy(client):
    """Cross-site scripting defence in depth: even if markup slipped through escaping, the
    browser would run no inline script, load nothing from elsewhere, and never frame us."""
    for url, response in _all_responses(client).items():
        assert response.status_code in (200, 404), url
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert directives["base-uri"] == ["'none'"], url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


@pytest.mark.django_db
def test_every_response_forbids_sniffing_framing_and_leaking_the_address(client):
    """Clickjacking (X-Frame-Options DENY), MIME sniffing (nosniff) and referrer leaks."""
    for url, response in _all_responses(client).items():
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url


@pytest.mark.django_db
def test_no_page_contains_inline_script_the_policy_would_block(client):
    """The CSP forbids inline script; a page that relied on it would break. None does."""
    for url, response in _all_responses(client).items():
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not EVENT_HANDLER.search(html), url
        assert "javascript:" not in html.lower(), url


@pytest.mark.django_db
def test_private_pages_are_never_stored_and_never_leak_their_address(client):
    """A private status link must not survive in a shared computer's cache, nor reach
    another site through a link on the page (Referrer-Policy: same-origin; a browser proof
    is in test_browser_security.py)."""
    responses = _all_responses(client)
    private = [url for url in responses if url.startswith(("/proposals/", "/admin/"))]
    assert len(private) >= 6
    for url in private:
        response = responses[url]
        assert "no-store" in response["Cache-Control"], url
        assert response["Referrer-Policy"] == "same-origin", url


@pytest.mark.django_db
def test_private_page_redirects_are_not_stored_either():
    """The redirect after saving the form carries the private link in Location."""
    client = Client()
    _, token = factories.draft()
    response = client.post(f"/proposals/{token}/check/")
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_hsts_is_sent_on_https_responses(client, settings):
    settings.SECURE_HSTS_SECONDS = 600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/accessibility/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=600")


@pytest.mark.django_db
def test_staff_and_directory_pages_carry_the_security_headers(client):
    """CSP, framing, sniffing and referrer rules on the newer pages too; the staff pages
    (reviews, outbox, the manager's edit form, the admin) are never stored."""
    submitted, _ = factories.proposal_in_state("submitted")
    approved, approved_token = factories.proposal_in_state("approved")
    group = Meetup.objects.get(proposal=approved)
    email = Notification.objects.filter(proposal=submitted).first()
    public = ["/meetups/", "/meetups.json", f"/meetups/{group.slug}/", "/accounts/login/"]
    staff = Client()
    staff.force_login(factories.staff_user(role="manager", is_staff=True))
    private = [
        "/reviews/",
        f"/reviews/{submitted.reference}/",
        "/reviews/outbox/",
        f"/reviews/outbox/{email.pk}/",
        f"/meetups/{group.slug}/edit/",
        "/reviews/archived-groups/",
        "/admin/",
    ]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
    for url in private:
        response = staff.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
        assert "no-store" in response["Cache-Control"], url
    reply = client.get(f"/proposals/{approved_token}/reply/")
    assert "no-store" in reply["Cache-Control"]
