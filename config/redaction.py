"""Private links never reach a log.

A proposal's or a group's private link (`/proposals/<token>/`, `/groups/<token>/`) is the
key to it: whoever reads it in a log line ("Not Found: /proposals/…/", an access log line,
a Referer, a traceback) holds the proposal. Every log record made in a process that loads
the settings (runserver, gunicorn's workers and their access log, Celery workers and beat,
management commands) is redacted when it is made: a record factory formats the message and
any traceback once and writes the token as "[private]". Handlers and formatters then see
only the redacted text, whichever logger (Django's, gunicorn's, Celery's) made it. A
token-shaped string is redacted wherever it stands in the line, not only after
"/proposals/" or "/groups/".
"""

import logging
import re

# Tokens are secrets.token_urlsafe(32): 43 characters. Staff pages' group slugs
# (/reviews/groups/<slug>/) are no secret and are left alone. A link reaches a log in any
# spelling a client sends or a `?next=` carries: any case ("/PROPOSALS/"), percent-encoded
# ("%2Fproposals%2F", "/%70roposals/", a token's characters as "%41"), encoded twice
# ("%252F"). Each character may be written as itself or as %XX (%25 repeated before it).
_ENCODED = r"%(?:25)*"


def _spelled(word: str) -> str:
    return "".join(f"(?:{re.escape(c)}|{_ENCODED}{ord(c):02x})" for c in word)


_SLASH = f"(?:/|{_ENCODED}2f)"
# A token's characters: A-Z a-z 0-9 - _, as themselves or percent-encoded.
_TOKEN_CHAR = rf"(?:[a-z0-9_-]|{_ENCODED}(?:3[0-9]|[46][1-9a-f]|[57][0-9a]|2d|5f))"
PRIVATE_LINK = re.compile(
    rf"(?P<staff>{_spelled('reviews')})?"
    rf"(?P<prefix>{_SLASH}(?:{_spelled('proposals')}|{_spelled('groups')}){_SLASH})"
    rf"{_TOKEN_CHAR}{{20,}}",
    re.IGNORECASE,
)


# Anywhere else (a doubled slash "/groups//<token>/", "/groups;/<token>/", a query string
# "?q=<token>", a Referer): any run of at least a token's length (43) of a token's
# characters, each as itself or percent-encoded. A run of lower-case letters, digits, "-"
# and "_" alone is a slug, a hex digest or a Python name, not a token (a token drawn at
# random is that plain about once in 10^11), and stays readable.
TOKEN_SHAPED = re.compile(rf"{_TOKEN_CHAR}{{43,}}", re.IGNORECASE)
PLAIN = re.compile(r"[a-z0-9_-]+")


def _redacted(match: re.Match) -> str:
    if match["staff"]:
        return match[0]
    return match["prefix"] + "[private]"


def _redacted_anywhere(match: re.Match) -> str:
    return match[0] if PLAIN.fullmatch(match[0]) else "[private]"


def redact(text: str) -> str:
    return TOKEN_SHAPED.sub(_redacted_anywhere, PRIVATE_LINK.sub(_redacted, text))


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: logging reports it when the record is emitted
        return record
    record.msg, record.args = redact(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install() -> None:
    """Redact every record this process makes from now on. Safe to call twice."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, "redacts_private_links", False):
        return

    def redacting_factory(*args, **kwargs):
        return redact_record(factory(*args, **kwargs))

    redacting_factory.redacts_private_links = True
    logging.setLogRecordFactory(redacting_factory)
