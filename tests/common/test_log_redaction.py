"""Private links never reach a log: Django's request warnings, runserver's access lines,
Celery's task loggers and tracebacks all read "[private]" where the token was."""

import io
import logging
import secrets

import pytest
from celery.utils.log import get_task_logger

from intake.services import issue_access_link
from tests import factories


@pytest.fixture
def token():
    return secrets.token_urlsafe(32)


@pytest.fixture
def captured():
    """Every record any logger hands to the root, and to django.server (which does not
    propagate), as its handlers would write it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(), logging.getLogger("django.server")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield stream
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def test_a_not_found_private_link_is_logged_without_its_token(client, token, captured):
    assert client.get(f"/proposals/{token}/").status_code == 404
    assert client.get(f"/groups/{token}/").status_code == 404
    text = captured.getvalue()
    assert "Not Found: /proposals/[private]/" in text
    assert "Not Found: /groups/[private]/" in text
    assert token not in text


@pytest.mark.django_db
def test_a_real_link_in_a_log_line_is_redacted(captured):
    proposal, _ = factories.proposal_in_state("draft")
    link = issue_access_link(proposal=proposal)
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /proposals/{link}/ HTTP/1.1", 200, 9
    )
    get_task_logger("notifications.tasks").warning(
        "sent %s", f"https://x.example/proposals/{link}/"
    )
    text = captured.getvalue()
    assert link not in text
    assert '"GET /proposals/[private]/ HTTP/1.1" 200' in text
    assert "https://x.example/proposals/[private]/" in text


def test_a_traceback_holding_a_link_is_redacted(token, captured):
    try:
        raise ValueError(f"no such page /groups/{token}/accept/")
    except ValueError:
        logging.getLogger("meetups").exception("failed")
    text = captured.getvalue()
    assert token not in text and "/groups/[private]/accept/" in text


def test_other_paths_are_left_alone(captured):
    line = "GET /proposals/find/, /meetups/code4lib/, /reviews/groups/web-archiving-interest-group/"
    logging.getLogger("django.server").info(line)
    assert line in captured.getvalue()


@pytest.mark.parametrize(
    "spelling",
    [
        "/proposals/{token}/",
        "/PROPOSALS/{token}/",
        "/Groups/{token}/",
        "%2Fproposals%2F{token}%2F",
        "%2fgroups%2f{token}",
        "/%70roposals/{token}/",
        "/groups%2F{token}",
        "%252Fproposals%252F{token}",
    ],
)
def test_a_token_is_redacted_in_percent_encoded_and_upper_case_spellings(token, captured, spelling):
    line = "GET /login/?next=" + spelling.format(token=token)
    logging.getLogger("django.server").info(line)
    text = captured.getvalue()
    assert token not in text
    assert "[private]" in text


def test_a_percent_encoded_token_is_redacted(captured):
    token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd"
    encoded = "".join(f"%{ord(c):02X}" for c in token[:10]) + token[10:]
    logging.getLogger("django.server").info("GET /proposals/%s/", encoded)
    text = captured.getvalue()
    assert token[10:] not in text and "/proposals/[private]/" in text


def test_staff_group_pages_stay_readable_in_any_case(captured):
    line = "GET /REVIEWS/GROUPS/web-archiving-interest-group/ and %2Freviews%2Fgroups%2Fweb-archiving-interest-group"
    logging.getLogger("django.server").info(line)
    assert line in captured.getvalue()


@pytest.mark.parametrize(
    "spelling",
    [
        "GET /groups//{token}/ HTTP/1.1",
        "GET /proposals//{token}/ HTTP/1.1",
        "GET /groups;/{token}/ HTTP/1.1",
        "GET /groups/x/../{token}/ HTTP/1.1",
        "GET /?x={token} HTTP/1.1",
        "GET /meetups/?q={token} HTTP/1.1",
        "GET /meetups/?q={token}&page=2 HTTP/1.1",
        "GET /meetups/?q=%{first:02X}{rest} HTTP/1.1",
        "GET /{token} HTTP/1.1",
        "GET /groups/{token}x/ HTTP/1.1",
    ],
)
def test_a_token_is_redacted_wherever_it_is_in_a_request_line(token, captured, spelling):
    line = spelling.format(token=token, first=ord(token[0]), rest=token[1:])
    logging.getLogger("gunicorn.access").info('1.2.3.4 - - "%s" 404 9', line)
    logging.getLogger("django.request").warning("Not Found: %s", line.split()[1])
    text = captured.getvalue()
    assert token[1:] not in text
    assert text.count("[private]") == 2


@pytest.mark.parametrize(
    "path", ["/groups//{token}/", "/groups;/{token}/", "/meetups/?q={token}", "/?x={token}"]
)
def test_a_not_found_warning_for_an_odd_spelling_has_no_token(client, token, captured, path):
    client.get(path.format(token=token))
    client.get("/nothing-here" + path.format(token=token))
    assert token not in captured.getvalue()


def test_ordinary_urls_stay_readable(captured):
    lines = [
        "GET /meetups/?q=code4lib&page=2 HTTP/1.1",
        "GET /meetups/digital-humanities-and-library-technology-meetup-of-new-york/ HTTP/1.1",
        "GET /static/css/site.3f2a9c1b7e6d5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f.css HTTP/1.1",
        "GET /reviews/groups/web-archiving-interest-group/?sort=name HTTP/1.1",
        "GET /proposals/find/?email=jane.roe%40example.org HTTP/1.1",
        'File "/work/tests/common/test_log_redaction.py", in test_a_token_is_redacted_in_percent_encoded_and_upper_case_spellings',
    ]
    for line in lines:
        logging.getLogger("gunicorn.access").info(line)
    text = captured.getvalue()
    for line in lines:
        assert line in text
