"""Find-my-proposal must not tell by its timing whether an address has proposals (issue
16, defect 8): the response does the same work for every address; the search and the
email happen after it has gone."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake import services, views
from tests import factories


def _response_path_queries(rf, email: str, address: str) -> tuple[list[str], object]:
    # A fresh client address each, so the throttle's own bookkeeping is the same for both.
    request = rf.post("/proposals/find/", {"email": email}, REMOTE_ADDR=address)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    with CaptureQueriesContext(connection) as queries:
        response = views.find(request)
    # The address itself is a parameter and may differ; the statements may not.
    return [re.sub(r"'[^']*'", "?", q["sql"]) for q in queries.captured_queries], response


@pytest.mark.django_db(transaction=True)
def test_timing_attack_on_find_my_proposal_sees_the_same_work_for_known_and_unknown(rf):
    proposal, _ = factories.draft(organizer_emails=["kim@example.org", "lee@example.org"])
    known_queries, known = _response_path_queries(rf, "kim@example.org", "192.0.2.10")
    unknown_queries, unknown = _response_path_queries(rf, "nobody@example.org", "192.0.2.11")
    assert known.status_code == unknown.status_code == 200
    assert len(known_queries) == len(unknown_queries)
    assert known_queries == unknown_queries
    assert mail.outbox == []  # nothing searched or sent before the response went

    known.close()  # the server has sent the response
    unknown.close()
    (sent,) = mail.outbox
    assert sent.to == ["kim@example.org"]
    token = re.search(r"/proposals/([\w-]+)/", sent.body).group(1)
    assert services.proposal_for_token(token) == proposal
