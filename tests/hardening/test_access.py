"""Access control: staff pages (admin, reviewer workspace, outbox) give nothing to an
anonymous visitor or an organizer holding a private link; private links open exactly one
proposal; guessed, truncated or altered links are 404s, and guessing is throttled."""

import re
import string

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import State
from tests import factories

STAFF_PREFIXES = ("admin/", "reviews/")
SECRET_NAME = "Secret Society of Cataloguers"
SECRET_EMAIL = "hidden.organizer@example.org"


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def staff_urls(values: dict) -> list[str]:
    """Every URL the project routes under /admin/ and /reviews/, with its parameters filled
    in with real objects, so new staff pages are covered the day they are added."""
    urls = set()
    for route in _walk(get_resolver().url_patterns):
        if not route.startswith(STAFF_PREFIXES):
            continue
        route = route.replace("^", "").replace("$", "").replace("\\Z", "")
        # Admin routes are regexes for app lists; fill both regex groups and <converters>.
        route = re.sub(r"\(\?P<app_label>[^)]*\)", "intake", route)
        route = re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), values["pk"])), route
        )
        if re.search(r"[()\[\]?*+\\]", route):
            continue  # a regex we cannot fill sensibly
        urls.add("/" + route)
    return sorted(urls)


@pytest.fixture
def secret_proposal():
    proposal, token = factories.proposal_in_state(
        State.SUBMITTED, name=SECRET_NAME, organizer_emails=[SECRET_EMAIL, "second@example.org"]
    )
    return proposal, token


# Sign-in pages answer everyone, with a form and no data.
SIGN_IN_PAGES = ("/admin/login/",)


def _assert_nothing_shown(response, url):
    allowed = (200, 301, 302, 403, 404, 405) if url in SIGN_IN_PAGES else (301, 302, 403, 404, 405)
    assert response.status_code in allowed, (url, response.status_code)
    if response.status_code in (301, 302):
        location = response["Location"]
        signed_out = url.endswith("/logout/") and location in ("/", "/admin/")
        assert signed_out or location.startswith(("/admin/login/", "/accounts/login/")), (
            url,
            location,
        )
    body = response.content.decode(errors="replace")
    assert SECRET_NAME not in body, url
    assert SECRET_EMAIL not in body, url


@pytest.mark.django_db
def test_every_staff_url_refuses_anonymous_visitors(secret_proposal):
    """Broken access control: an anonymous visitor probing /admin/ and /reviews/ URLs (list,
    change, history, delete, outbox...) gets a sign-in redirect or a refusal, never data."""
    proposal, _ = secret_proposal
    urls = staff_urls(
        {"pk": proposal.pk, "object_id": proposal.pk, "reference": proposal.reference}
    )
    assert "/admin/" in urls and f"/admin/intake/proposal/{proposal.pk}/change/" in urls
    client = Client()
    for url in urls:
        _assert_nothing_shown(client.get(url), url)
        _assert_nothing_shown(client.post(url, {"action": "delete_selected"}), url)


@pytest.mark.django_db
def test_an_organizer_link_opens_no_staff_page(secret_proposal):
    """Privilege escalation: an organizer who has used their private link (and any session
    it left) is still anonymous to the admin and the reviewer workspace."""
    proposal, token = secret_proposal
    client = Client()
    assert client.get(f"/proposals/{token}/").status_code == 200
    urls = staff_urls(
        {"pk": proposal.pk, "object_id": proposal.pk, "reference": proposal.reference}
    )
    for url in urls:
        _assert_nothing_shown(client.get(url), url)
        _assert_nothing_shown(client.get(url + f"?token={token}"), url)


@pytest.mark.django_db
def test_a_signed_in_account_without_a_staff_role_sees_no_staff_data(secret_proposal):
    """An account with no role (for example one created by mistake) gets nothing either."""
    proposal, _ = secret_proposal
    outsider = factories.staff_user(role="none")
    client = Client()
    client.force_login(outsider)
    for url in staff_urls(
        {"pk": proposal.pk, "object_id": proposal.pk, "reference": proposal.reference}
    ):
        _assert_nothing_shown(client.get(url), url)


PRIVATE_SUFFIXES = ["", "check/", "edit/", "withdraw/", "submitted/"]


@pytest.mark.django_db
def test_each_token_opens_only_its_own_proposal_on_every_private_page():
    """Insecure direct object reference: token A never shows proposal B, on any page."""
    first, first_token = factories.draft(name="First circle")
    second, second_token = factories.draft(name="Second circle")
    client = Client()
    for suffix in ("", "edit/", "check/", "withdraw/"):
        html = client.get(f"/proposals/{first_token}/{suffix}").content.decode()
        assert "First circle" in html and "Second circle" not in html, suffix
        assert second.reference not in html, suffix


@pytest.mark.django_db
def test_every_single_character_alteration_of_a_token_is_a_404(client):
    """A link with any one character changed, dropped or added opens nothing."""
    _, token = factories.draft(name="Guarded group")
    variants = set()
    for i in range(len(token)):
        variants.add(token[:i] + token[i + 1 :])
        swapped = "A" if token[i] != "A" else "B"
        variants.add(token[:i] + swapped + token[i + 1 :])
    variants |= {token + "x", token.upper(), token.lower(), token[:10]}
    variants.discard(token)
    client = Client()
    for n, variant in enumerate(sorted(variants)):
        # A new address now and then, so the guessing throttle does not answer first.
        address = f"10.0.{n // 25}.1"
        response = client.get(f"/proposals/{variant}/", REMOTE_ADDR=address)
        assert response.status_code == 404, variant
        assert "Guarded group" not in response.content.decode()


token_like = st.one_of(
    st.text(string.ascii_letters + string.digits + "-_", min_size=0, max_size=60),
    st.text(max_size=120).filter(lambda s: "/" not in s and "?" not in s and "#" not in s),
)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(guess=token_like, suffix=st.sampled_from(PRIVATE_SUFFIXES))
def test_guessed_tokens_are_404s(guess, suffix):
    """Brute force: arbitrary guesses (any length, any characters) open nothing."""
    _, token = factories.draft(name="Guarded group")
    if guess in (token, "find"):
        return  # the real link, and the public "find my proposal" page
    client = Client()
    with transaction.atomic():
        response = client.get(f"/proposals/{guess}/{suffix}")
        transaction.set_rollback(True)
    assert response.status_code == 404, (guess, response.status_code)
    assert "Guarded group" not in response.content.decode()


@pytest.mark.django_db
def test_token_guessing_is_throttled_on_every_private_page(client):
    """After 30 misses from one address in ten minutes every private page answers 429
    (even with a good token, until the window passes), whatever page the guesses hit;
    other addresses are unaffected and the 429 page reveals nothing."""
    _, token = factories.draft(name="Guarded group")
    for n in range(30):
        suffix = PRIVATE_SUFFIXES[n % len(PRIVATE_SUFFIXES)]
        assert client.get(f"/proposals/guess{n}/{suffix}").status_code == 404
    for suffix in PRIVATE_SUFFIXES:
        response = client.get(f"/proposals/{token}/{suffix}")
        assert response.status_code == 429, suffix
        assert "Guarded group" not in response.content.decode()
    assert client.get(f"/proposals/{token}/", REMOTE_ADDR="192.0.2.7").status_code == 200
