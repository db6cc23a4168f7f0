"""Issue 27, the second fresh-eyes tour (priv27c): the overlap box while proposing, and the
links that must not carry what they point at readably."""

import base64
import contextlib
import json
import re
import zlib

import pytest
from django.core import mail
from django.test import Client

from intake.models import IntroductionRequest, State
from tests import factories

pytestmark = pytest.mark.django_db

ABOUT = "We make zines about libraries."


def _readable(token: str) -> str:
    """Whatever a person could decode from a token: base64 of each part, inflated."""
    found = []
    for part in re.split(r"[:.]", token):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except ValueError:
            continue
        found.append(raw.decode("latin-1"))
        with contextlib.suppress(zlib.error):
            found.append(zlib.decompress(raw).decode("latin-1"))
    return "\n".join(found)


def _box(settings, name="Zine Circle"):
    settings.OVERLAP_CHECKS_PER_HOUR = 10_000
    body = json.loads(
        Client().get("/propose/overlap/", {"name": name, "description": "zines"}).content
    )
    return body["html"]


def _links(html):
    return re.findall(r'href="(/propose/introduction/([^"]+)/)"', html)


def test_item9_two_unnamed_proposals_are_said_once_with_one_link_for_both(
    settings, django_capture_on_commit_callbacks
):
    first, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Secret Zine Circle", description=ABOUT
    )
    second, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Hidden Zine Circle", description=ABOUT
    )
    factories.staff_user(role="manager")
    html = _box(settings)
    assert "2 similar proposals are being reviewed" in html
    assert html.count("Its proposers have not chosen") == 0
    links = _links(html)
    assert len(links) == 1
    # Proposals only: nothing to "join" yet.
    assert "You could join one of them" not in html
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            links[0][0], {"name": "Ada Asker", "email": "ada@example.org", "message": "Hi"}
        )
    assert {r.proposal for r in IntroductionRequest.objects.all()} == {first, second}


def test_item9_a_named_proposal_under_review_offers_the_same_form(settings):
    factories.proposal_in_state(
        State.SUBMITTED, name="Open Zine Circle", description=ABOUT, shares_name_with_similar=True
    )
    html = _box(settings)
    assert "Open Zine Circle" in html
    assert len(_links(html)) == 1


def test_item9_the_introduction_link_does_not_carry_the_reference_readably(settings):
    hidden, _ = factories.proposal_in_state(
        State.SUBMITTED, name="Secret Zine Circle", description=ABOUT
    )
    [(_, token)] = _links(_box(settings))
    assert hidden.reference not in _readable(token)


def test_item9_the_my_data_link_does_not_carry_the_address_readably(
    django_capture_on_commit_callbacks,
):
    proposal, _ = factories.proposal_in_state(State.SUBMITTED)
    email = proposal.organizers.first().email
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/privacy/my-data/", {"email": email})
    sent = [m for m in mail.outbox if email in m.to][-1]
    token = re.search(r"/privacy/my-data/([^/\s]+)/", sent.body).group(1)
    assert email not in _readable(token)
    page = Client().get(f"/privacy/my-data/{token}/")
    assert page.status_code == 200
