"""Access control, for every role of the role matrix (tests/roles.py): staff pages (admin,
reviewer workspace, outbox) give nothing to an anonymous visitor, an organizer holding a
private link or an account without a staff role; each reviewer page and each decision is
open exactly to the roles it is meant for; private links open exactly one proposal;
guessed, truncated or altered links are 404s, and guessing is throttled."""

import re
import string

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Actor, staff_actor
from intake import services as intake_services
from intake.models import Proposal, ProposalTransition, State
from intake.workflow import Transition
from reviews.models import Comment, Review
from tests import factories
from tests.reviews.helpers import decide
from tests.roles import ROLES, STAFF_ROLES, client_for

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


def _staff_urls_for(proposal) -> list[str]:
    return staff_urls(
        {"pk": proposal.pk, "object_id": proposal.pk, "reference": proposal.reference}
    )


@pytest.mark.django_db
def test_every_staff_url_refuses_anonymous_visitors(secret_proposal):
    """Broken access control: an anonymous visitor probing /admin/ and /reviews/ URLs (list,
    change, history, delete, outbox...) gets a sign-in redirect or a refusal, never data."""
    proposal, _ = secret_proposal
    urls = _staff_urls_for(proposal)
    assert "/admin/" in urls and f"/admin/intake/proposal/{proposal.pk}/change/" in urls
    client, _ = client_for("anonymous")
    for url in urls:
        _assert_nothing_shown(client.get(url), url)
        _assert_nothing_shown(client.post(url, {"action": "delete_selected"}), url)


@pytest.mark.django_db
def test_an_organizer_link_opens_no_staff_page(secret_proposal):
    """Privilege escalation: an organizer who has used their private link (and any session
    it left) is still anonymous to the admin and the reviewer workspace."""
    proposal, token = secret_proposal
    client, _ = client_for("organizer", token=token)
    for url in _staff_urls_for(proposal):
        _assert_nothing_shown(client.get(url), url)
        _assert_nothing_shown(client.get(url + f"?token={token}"), url)


@pytest.mark.django_db
def test_a_signed_in_account_without_a_staff_role_sees_no_staff_data(secret_proposal):
    """An account with no role (for example one created by mistake) gets nothing either."""
    proposal, _ = secret_proposal
    client, _ = client_for("plain_user", is_staff=False)
    for url in _staff_urls_for(proposal):
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


# The reviewer workspace: every page and every decision, for every role.


def _reviewer_urls(proposal):
    ref = proposal.reference
    return [
        ("get", "/reviews/", {}),
        ("get", "/reviews/?state=submitted&q=Circle&sort=newest&mine=on", {}),
        ("get", f"/reviews/{ref}/", {}),
        ("post", f"/reviews/{ref}/review/", {"recommendation": "approve", "notes": "Good."}),
        ("post", f"/reviews/{ref}/comment/", {"body": "Looks fine.", "visibility": "internal"}),
        (
            "post",
            f"/reviews/{ref}/decide/",
            {
                "transition": "request_changes",
                "note": "More detail.",
                "expected_state": "submitted",
                "confirm": "1",
            },
        ),
    ]


URL_CASES = [(role, index) for role in ROLES for index in range(6)]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "index"), URL_CASES)
def test_every_reviewer_url_for_every_role(role, index):
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    client, user = client_for(role, proposal=proposal, token=token)
    method, url, data = _reviewer_urls(proposal)[index]
    response = getattr(client, method)(url, data)
    history = ProposalTransition.objects.filter(proposal=proposal).count()

    if role in ("anonymous", "organizer"):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif role == "plain_user":
        assert response.status_code == 403
        assert "You do not have access to this page" in response.content.decode()
    elif role == "recused_manager" and method == "post":
        # They read the proposal, but may not review, comment on or decide it.
        assert response.status_code in (403, 409)
        assert "You are an organizer of" in response.content.decode()
    else:
        assert response.status_code in (200, 302)
        if method == "get":
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"]
    if role not in STAFF_ROLES:
        # Nothing was written by anyone refused.
        assert Review.objects.count() == 0
        assert Comment.objects.count() == 0
        assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
        assert history == 1


@pytest.mark.django_db
def test_drafts_are_not_shown_to_staff(client):
    proposal, _ = factories.draft()
    client.force_login(factories.staff_user(role="manager"))
    assert client.get(f"/reviews/{proposal.reference}/").status_code == 404
    assert proposal.reference not in client.get("/reviews/").content.decode()


@pytest.mark.django_db
def test_unknown_reference_is_not_found(client):
    client.force_login(factories.staff_user())
    assert client.get("/reviews/MTG-1999-0001/").status_code == 404


# Every transition, for every role, through the decision form.

SOURCE = {
    "submit": State.DRAFT,
    "complete_review": State.SUBMITTED,
    "request_changes": State.SUBMITTED,
    "resubmit": State.CHANGES_REQUESTED,
    "approve": State.REVIEWED,
    "decline": State.REVIEWED,
    "withdraw": State.SUBMITTED,
}
ALLOWED = {
    "complete_review": {"manager", "superuser"},
    "request_changes": {"reviewer", "manager", "superuser"},
    "approve": {"manager", "superuser"},
    "decline": {"manager", "superuser"},
    # Organizer transitions are never taken from the reviewer workspace.
    "submit": set(),
    "resubmit": set(),
    "withdraw": set(),
}
TRANSITION_CASES = [(role, name) for role in ROLES for name in SOURCE]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name"), TRANSITION_CASES)
def test_every_transition_for_every_role(role, name):
    proposal, token = factories.proposal_in_state(SOURCE[name])
    client, user = client_for(role, proposal=proposal, token=token)
    before = ProposalTransition.objects.filter(proposal=proposal).count()
    response = decide(client, proposal, name, note="Please say who the group is for.")
    after = Proposal.objects.get(pk=proposal.pk)
    records = ProposalTransition.objects.filter(proposal=proposal)

    if role in ALLOWED[name]:
        assert response.status_code == 302
        assert after.state != SOURCE[name]
        assert records.count() == before + 1
        record = records.last()
        assert record.transition == name
        assert record.actor == user
    else:
        assert after.state == SOURCE[name]
        assert records.count() == before
        if role in ("anonymous", "organizer"):
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role == "plain_user":
            assert response.status_code == 403
        elif SOURCE[name] == State.DRAFT:
            assert response.status_code == 404  # staff never see drafts
        elif role == "recused_manager":
            assert response.status_code == 403
            assert "so you cannot decide it" in response.content.decode()
        else:
            assert response.status_code == 400
            assert "not open to you now" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", STAFF_ROLES)
@pytest.mark.parametrize(
    "state", [s for s in State.values if s != State.DRAFT], ids=lambda s: str(s)
)
def test_buttons_shown_are_exactly_the_permitted_transitions(role, state):
    proposal, _ = factories.proposal_in_state(state)
    client, user = client_for(role)
    html = client.get(f"/reviews/{proposal.reference}/").content.decode()
    expected = {
        name
        for name in intake_services.available_transitions(
            proposal=proposal, actor=staff_actor(user)
        )
        if name not in ("submit", "resubmit", "withdraw")
    }
    shown = {name for name in Transition if f'name="transition" value="{name}"' in html}
    assert shown == expected
    if role == "reviewer" and state in (State.SUBMITTED, State.REVIEWED):
        assert shown == {"request_changes"}
    if role != "reviewer" and state == State.REVIEWED:
        assert shown == {"request_changes", "approve", "decline"}


@pytest.mark.django_db
def test_staff_who_organize_a_proposal_cannot_review_comment_or_decide_it(client):
    manager = factories.staff_user(role="manager", email="dual@council.example.org")
    proposal, _ = factories.draft(organizer_emails=["dual@council.example.org", "b@example.org"])
    proposal = intake_services.run_transition(
        proposal=proposal, name="submit", actor=Actor.organizer_link()
    )
    other = factories.staff_user(role="reviewer")
    Comment.objects.create(proposal=proposal, author=other, visibility="internal", body="Hush.")
    client.force_login(manager)

    page = client.get(f"/reviews/{proposal.reference}/").content.decode()
    assert "You are one of the organizers of this proposal" in page
    assert 'name="transition"' not in page
    assert "Save review" not in page
    assert "Hush." not in page  # internal comments are hidden from them

    response = client.post(
        f"/reviews/{proposal.reference}/review/", {"recommendation": "approve", "notes": ""}
    )
    assert response.status_code == 409
    assert "so you cannot review it" in response.content.decode()
    assert not Review.objects.exists()

    response = client.post(
        f"/reviews/{proposal.reference}/comment/", {"body": "Mine!", "visibility": "shared"}
    )
    assert response.status_code == 409
    assert not Comment.objects.filter(body="Mine!").exists()

    response = decide(client, proposal, "decline", note="No.")
    assert response.status_code == 403
    assert "so you cannot decide it" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).state == State.SUBMITTED
