"""Hostile input on the comment forms: a reviewer's comment (staff only or shared with the
organizers) and the organizers' reply from their private page. Arbitrary Unicode, control
characters, NUL bytes, very long values, wrong choices, missing and repeated fields: the
comment is saved exactly as typed (with its emails), or refused with a message and
nothing at all is written. Never a server error."""

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.models import State
from notifications.models import Notification
from reviews.models import Comment
from tests import factories
from tests.hostile import HYPOTHESIS, nasty_text, rolled_back

LIMIT = 5000
# Each example builds a submitted proposal and its emails: fewer examples, same reach.
FEWER = settings(HYPOTHESIS, max_examples=40)


def counts() -> tuple[int, int]:
    return Comment.objects.count(), Notification.objects.count()


visibility_values = st.one_of(
    st.sampled_from(["internal", "shared"]),
    st.sampled_from(["", "public", "SHARED", "\x00", "internal\x00"]),
    st.lists(st.sampled_from(["internal", "shared", "x"]), min_size=2, max_size=3),
)


@pytest.mark.django_db
@FEWER
@given(
    body=st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3)),
    visibility=visibility_values,
)
def test_reviewer_comment_with_hostile_input_is_saved_intact_or_refused(body, visibility):
    with rolled_back():
        proposal, _ = factories.proposal_in_state(State.SUBMITTED)
        reviewer = factories.staff_user(role="reviewer")
        client = Client()
        client.force_login(reviewer)
        before = counts()
        response = client.post(
            f"/reviews/{proposal.reference}/comment/", {"body": body, "visibility": visibility}
        )
        assert response.status_code in (302, 400), response.status_code
        sent_body = body[-1] if isinstance(body, list) else body
        sent_visibility = visibility[-1] if isinstance(visibility, list) else visibility
        kept = sent_body.strip()
        valid = (
            kept
            and len(kept) <= LIMIT
            and "\x00" not in sent_body
            and sent_visibility in ("internal", "shared")
        )
        if not valid:
            assert response.status_code == 400
            assert counts() == before
            if "\x00" in sent_body:
                assert "Null characters are not allowed" in response.content.decode() or (
                    "null character" in response.content.decode()
                )
            return
        assert response.status_code == 302
        comment = Comment.objects.get()
        assert comment.body == kept and comment.visibility == sent_visibility
        page = client.get(f"/reviews/{proposal.reference}/")
        assert escape(kept) in page.content.decode()


@pytest.mark.django_db
@FEWER
@given(body=st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3)))
def test_organizer_reply_with_hostile_input_is_saved_intact_or_refused(body):
    with rolled_back():
        proposal, token = factories.proposal_in_state(State.SUBMITTED)
        client = Client()
        before = counts()
        response = client.post(f"/proposals/{token}/reply/", {"body": body})
        assert response.status_code in (302, 400), response.status_code
        sent = body[-1] if isinstance(body, list) else body
        kept = sent.strip()
        if not kept or len(kept) > LIMIT or "\x00" in sent:
            assert response.status_code == 400
            assert counts() == before
            return
        assert response.status_code == 302
        comment = Comment.objects.get()
        assert comment.body == kept and comment.by_organizers
        page = client.get(f"/proposals/{token}/")
        assert escape(kept) in page.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db
def test_nul_bytes_in_comments_on_postgresql_are_refused_cleanly(client):
    proposal, token = factories.proposal_in_state(State.SUBMITTED)
    assert client.post(f"/proposals/{token}/reply/", {"body": "hi\x00"}).status_code == 400
    client.force_login(factories.staff_user(role="reviewer"))
    response = client.post(
        f"/reviews/{proposal.reference}/comment/", {"body": "a\x00b", "visibility": "shared"}
    )
    assert response.status_code == 400
    assert counts()[0] == 0
