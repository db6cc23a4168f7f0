"""Private links never reach a log.

A proposal's or a group's private link (`/proposals/<token>/`, `/groups/<token>/`) is the
key to it: whoever reads it in a log line ("Not Found: /proposals/…/", an access log line,
a Referer, a traceback) holds the proposal. Every log record made in a process that loads
the settings (runserver, gunicorn's workers and their access log, Celery workers and beat,
management commands) is redacted when it is made: a record factory formats the message and
any traceback once and writes the token as "[private]". Handlers and formatters then see
only the redacted text, whichever logger (Django's, gunicorn's, Celery's) made it.
"""

import logging
import re

# Tokens are secrets.token_urlsafe(32): 43 characters. Staff pages' group slugs
# (/reviews/groups/<slug>/) are no secret and are left alone.
PRIVATE_LINK = re.compile(r"(?<!/reviews)(/(?:proposals|groups)/)[A-Za-z0-9_-]{20,}")
REDACTED = r"\1[private]"


def redact(text: str) -> str:
    return PRIVATE_LINK.sub(REDACTED, text)


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
