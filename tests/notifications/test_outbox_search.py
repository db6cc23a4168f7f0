"""Issue 23: program managers search the outbox by recipient or by proposal."""

import re

import pytest
from django.db import transaction

from tests import factories

from .helpers import organizer, transition

pytestmark = pytest.mark.django_db


def _recipients(html: str) -> set[str]:
    return set(re.findall(r"<td[^>]*>([^<@]+@[^<]+)</td>", html))


def test_the_outbox_is_searched_by_recipient_or_proposal(client):
    zines, _ = factories.draft(
        name="Zine makers", organizer_emails=["kim@example.org", "lee@example.org"]
    )
    maps, _ = factories.draft(
        name="Map circle", organizer_emails=["max@example.org", "mo@example.org"]
    )
    for proposal in (zines, maps):
        with transaction.atomic():
            transition(proposal, "submit", organizer())
    client.force_login(factories.staff_user(role="manager"))

    by_address = client.get("/reviews/outbox/", {"q": "KIM@example"}).content.decode()
    assert _recipients(by_address) == {"kim@example.org"}
    assert "matching “KIM@example”" in by_address

    by_reference = client.get("/reviews/outbox/", {"q": maps.reference}).content.decode()
    assert {"max@example.org", "mo@example.org"} <= _recipients(by_reference)
    assert not {"kim@example.org", "lee@example.org"} & _recipients(by_reference)
    by_name = client.get("/reviews/outbox/", {"q": "zine"}).content.decode()
    assert {"kim@example.org", "lee@example.org"} <= _recipients(by_name)
    # The status filters keep the search.
    assert "?status=sent&amp;q=zine" in by_name or "?status=pending&amp;q=zine" in by_name

    nothing = client.get("/reviews/outbox/", {"q": "nobody\x00"}).content.decode()
    assert "No emails matching “nobody”" in nothing


def test_a_search_for_a_proposals_name_matches_its_own_emails_only(client):
    code4lib, _ = factories.draft(
        name="Code 4 Lib New York", organizer_emails=["ana@example.org", "al@example.org"]
    )
    other, _ = factories.draft(
        name="Zines of New York", organizer_emails=["bo@example.org", "cy@example.org"]
    )
    for proposal in (code4lib, other):
        with transaction.atomic():
            transition(proposal, "submit", organizer())
    client.force_login(factories.staff_user(role="manager"))
    found = client.get("/reviews/outbox/", {"q": "Code 4 Lib New York"}).content.decode()
    assert "ana@example.org" in _recipients(found)
    assert not {"bo@example.org", "cy@example.org"} & _recipients(found)
