"""Hostile input on the public proposal form: arbitrary Unicode, control characters, NUL
bytes, very long values, wrong types, missing and duplicated fields. Never a server error:
either everything is saved intact, or a clear message and nothing saved at all."""

import string
import unicodedata
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st

from common.forms import CONTROL_CHARACTER_MESSAGE, NULL_CHARACTER_MESSAGE
from intake.models import AccessLink, Organizer, Proposal, ProposalTransition
from meetups.naming import clean_name
from tests import factories
from tests.hostile import HYPOTHESIS, nasty_text, rolled_back
from tests.intake.forms_data import form_data

TEXT_FIELDS = {
    # field: max length on the form
    "name": 120,
    "description": 4000,
    "audience": 2000,
    "differs_from_existing": 3000,
    "activities": 3000,
    "support_notes": 2000,
}
ORGANIZER_TEXT_FIELDS = {"organizers-0-name": 120, "organizers-1-institution": 200}
OPTIONAL_FIELDS = {"support_notes"}


def row_counts() -> tuple[int, ...]:
    return (
        Proposal.objects.count(),
        Organizer.objects.count(),
        AccessLink.objects.count(),
        ProposalTransition.objects.count(),
    )


ONE_LINE_FIELDS = {"name", "organizers-0-name", "organizers-1-institution"}


def expected_saved(field: str, value: str) -> str:
    """What a form field keeps of what was typed: Django strips surrounding whitespace;
    names (one line) also collapse inner runs of whitespace, line breaks included; the
    group's name is also stored in NFKC without invisible format characters (issue 16)."""
    if field == "name":
        return clean_name(value)
    return " ".join(value.split()) if field in ONE_LINE_FIELDS else value.strip()


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\x00" for c in value)


def post_form(client, data):
    return client.post("/propose/", data)


def assert_clean_rejection(response, before):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert "There is a problem" in html or "alert" in html
    assert row_counts() == before, "a rejected form saved something"


@pytest.mark.django_db
@HYPOTHESIS
@given(field=st.sampled_from(sorted({**TEXT_FIELDS, **ORGANIZER_TEXT_FIELDS})), value=nasty_text)
def test_arbitrary_text_in_any_field_is_saved_intact_or_refused_cleanly(field, value, settings):
    """Fuzzing each text field with arbitrary Unicode, control characters, NUL bytes and
    very long values: a 302 to "check your answers" with the value stored exactly as typed
    (and shown escaped), or a 200 with a message and not one row written. Never a 500.
    Names are one line: control characters are refused there, whitespace runs collapsed."""
    settings.PROPOSALS_PER_HOUR = 10_000
    client = Client()
    with rolled_back():
        before = row_counts()
        response = post_form(client, form_data(**{field: value}))
        limit = {**TEXT_FIELDS, **ORGANIZER_TEXT_FIELDS}[field]
        kept = expected_saved(field, value)
        event("rejected" if response.status_code == 200 else "saved")
        if "\x00" in value:
            assert_clean_rejection(response, before)
            assert escape(NULL_CHARACTER_MESSAGE) in response.content.decode()
            return
        if (not kept and field not in OPTIONAL_FIELDS) or len(kept) > limit:
            assert_clean_rejection(response, before)
            return
        if field in ONE_LINE_FIELDS and has_control_characters(value.strip()):
            assert_clean_rejection(response, before)
            assert escape(CONTROL_CHARACTER_MESSAGE) in response.content.decode()
            return
        assert response.status_code == 302, response.content.decode()[:500]
        proposal = Proposal.objects.get()
        if field.startswith("organizers-"):
            index, name = field.split("-")[1:]
            stored = getattr(proposal.organizers.all()[int(index)], name)
        else:
            stored = getattr(proposal, field)
        assert stored == kept
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert escape(kept) in page.content.decode()


form_field_names = sorted(form_data())
wrong_values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "-1", "0", "99999999999999999999", "1e9", "on", "off", "None", "[]"]),
    st.lists(st.text(max_size=10), min_size=2, max_size=4),  # the field sent more than once
)


@pytest.mark.django_db
@HYPOTHESIS
@given(
    dropped=st.sets(st.sampled_from(form_field_names), max_size=5),
    replaced=st.dictionaries(st.sampled_from(form_field_names), wrong_values, max_size=5),
    extra=st.dictionaries(st.text(string.printable, max_size=20), st.text(max_size=20), max_size=3),
    add_organizer=st.booleans(),
)
def test_missing_wrong_type_and_duplicated_fields_never_cause_a_server_error(
    dropped, replaced, extra, add_organizer, settings
):
    """Tampered requests (what a bot or a hand-made POST sends): fields missing, numbers
    where text belongs and text where numbers belong, the management form of the organizer
    rows broken, fields repeated. A page with a message, or a consistent saved draft."""
    settings.PROPOSALS_PER_HOUR = 10_000
    client = Client()
    data = {k: v for k, v in form_data().items() if k not in dropped}
    data.update(extra)
    data.update(replaced)
    if add_organizer:
        data["add_organizer"] = "1"
    with rolled_back():
        before = row_counts()
        response = post_form(client, data)
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 302:
            proposal = Proposal.objects.get()
            assert proposal.organizers.count() >= 2
            assert AccessLink.objects.filter(proposal=proposal).count() == 1
            assert client.get(response["Location"]).status_code == 200
        else:
            assert row_counts() == before


@pytest.mark.django_db
def test_nul_byte_in_every_field_gets_a_clear_message_and_saves_nothing(client):
    """NUL bytes pasted into the form: PostgreSQL cannot store them in text, so each field
    refuses them with a message naming the problem, instead of a server error."""
    fields = [*TEXT_FIELDS, *ORGANIZER_TEXT_FIELDS, "organizers-1-email", "existing_url"]
    data = form_data(**{name: "Hello\x00world" for name in fields})
    response = client.post("/propose/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(escape(NULL_CHARACTER_MESSAGE)) >= len(fields)
    assert row_counts() == (0, 0, 0, 0)


@pytest.mark.postgres
@pytest.mark.django_db
def test_nul_bytes_and_control_characters_on_postgresql(client):
    """The same on the production database: NUL refused cleanly, while the other control
    characters PostgreSQL can store are saved exactly as typed."""
    response = client.post("/propose/", form_data(description="Zines\x00 and more"))
    assert response.status_code == 200
    assert escape(NULL_CHARACTER_MESSAGE) in response.content.decode()
    assert row_counts() == (0, 0, 0, 0)

    hostile = "Bell\x07 escape\x1b[31m red\x7f rtl\u202e \U0001f4da end"
    response = client.post("/propose/", form_data(description=hostile))
    assert response.status_code == 302
    assert Proposal.objects.get().description == hostile


@pytest.mark.django_db
def test_undecodable_bytes_in_the_body_are_not_a_server_error(client):
    """A body that is not valid UTF-8 (a broken client or a fuzzer): no 500, nothing saved."""
    body = urlencode(form_data()).encode() + b"&description=%FF%FE%00garbage%C3"
    response = client.post(
        "/propose/", body, content_type="application/x-www-form-urlencoded; charset=utf-8"
    )
    assert response.status_code in (200, 400)
    assert row_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["urlencoded", "multipart"])
def test_a_body_over_the_size_limit_gets_a_clear_413_page(client, settings, content_type):
    """Resource exhaustion: a request body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with
    a 413 page that says what to do, and nothing is saved."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    data = form_data(description="x" * 150_000)
    if content_type == "urlencoded":
        response = client.post(
            "/propose/", urlencode(data), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post("/propose/", data)
    assert response.status_code == 413
    html = response.content.decode()
    assert "too large" in html
    assert "<h1>We could not accept what was sent</h1>" in html
    assert row_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_too_many_fields_get_a_clear_400_page(client):
    """A POST with thousands of fields (hash-flooding, parser exhaustion) is refused."""
    data = form_data()
    data.update({f"junk{i}": "x" for i in range(1500)})
    response = client.post(
        "/propose/", urlencode(data), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "too many fields" in response.content.decode()
    assert row_counts() == (0, 0, 0, 0)


@pytest.mark.django_db
def test_huge_organizer_row_count_is_refused_not_obeyed(client):
    """Denial of service: organizers-TOTAL_FORMS set to a billion must not make the server
    build (and validate, and render) more than the 10 rows the form allows."""
    for extra in ({}, {"add_organizer": "1"}):
        data = form_data(**{"organizers-TOTAL_FORMS": "1000000000"}, **extra)
        response = client.post("/propose/", data)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="organizers-9-name"' in html or "add_organizer" in extra
        assert 'name="organizers-10-name"' not in html
        assert row_counts() == (0, 0, 0, 0)
    assert (
        "A proposal can name at most 10 organizers."
        in client.post(
            "/propose/", form_data(**{"organizers-TOTAL_FORMS": "1000000000"})
        ).content.decode()
    )


@pytest.mark.django_db
@HYPOTHESIS
@given(reason=nasty_text, confirm=st.sampled_from(["on", "", "yes", "0", "\x00"]))
def test_withdraw_form_with_hostile_reason_withdraws_intact_or_changes_nothing(reason, confirm):
    """The organizer's withdraw form: arbitrary reasons are stored exactly (as the audit
    note) or refused with a message; the proposal never ends up half withdrawn."""
    with rolled_back():
        proposal, token = factories.draft()
        response = Client().post(
            f"/proposals/{token}/withdraw/", {"reason": reason, "confirm": confirm}
        )
        assert response.status_code in (200, 302)
        proposal.refresh_from_db()
        records = list(proposal.transitions.all())
        if response.status_code == 302:
            assert proposal.state == "withdrawn"
            assert [r.note for r in records] == [reason.strip()]
        else:
            assert proposal.state == "draft" and records == []


@pytest.mark.django_db
@HYPOTHESIS
@given(email=nasty_text)
def test_find_my_proposals_form_never_fails_on_hostile_input(email):
    """Fuzzing the public "find my proposal" form: a page, never a server error."""
    with rolled_back():
        response = Client().post("/proposals/find/", {"email": email})
        assert response.status_code in (200, 429)
