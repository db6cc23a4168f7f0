"""The one renderer: subject, text and HTML bodies of an email of a kind for an audience,
from its templates (notifications.kinds: templates/notifications/email/<template>_<audience>
.txt, .html and _subject.txt, or one file without the audience shared by all)."""

from functools import lru_cache

from django.conf import settings
from django.template.loader import select_template
from django.urls import get_script_prefix, get_urlconf, reverse

from meetups.models import EventKind

from .kinds import template_name
from .links import absolute, proposal_link, review_url
from .recipients import ORGANIZER

TEMPLATES = "notifications/email"


@lru_cache
def _path(name: str, urlconf: str, prefix: str) -> str:
    # The nightly pass renders thousands of emails, each naming the form's address: found
    # once per URLconf and script prefix (reverse reads both), not once per email.
    return reverse(name, urlconf=urlconf)


def shared_context() -> dict:
    """What every email can say. The history kinds are there for templates to compare an
    event with (`event == EventKind.RETIRE`), never with a string."""
    return {
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "contact_email": settings.PROGRAM_CONTACT_EMAIL,
        "propose_link": absolute(
            _path("intake:propose", get_urlconf(settings.ROOT_URLCONF), get_script_prefix())
        ),
        "EventKind": EventKind,
    }


def proposal_context(proposal) -> dict:
    """What an email about a proposal says of it; its private links are placeholders, made
    when the email is sent (notifications.links)."""
    return {
        "reference": proposal.reference,
        "name": proposal.name,
        "status_link": proposal_link(proposal.pk, "status"),
        "edit_link": proposal_link(proposal.pk, "edit"),
        "review_link": review_url(proposal),
        "reply_due": proposal.reply_due,
    }


def _template(kind: str, audience: str, suffix: str):
    name = template_name(kind)
    return select_template(
        [f"{TEMPLATES}/{name}_{audience}{suffix}", f"{TEMPLATES}/{name}{suffix}"]
    )


def render(*, kind: str, audience: str, context: dict) -> tuple[str, str, str]:
    """Subject (one line, prefixed with the program's name), text body and HTML body."""
    # Staff are not told how to reach program staff: they are it.
    context = {**shared_context(), "staff_reader": audience != ORGANIZER, **context}
    subject = _template(kind, audience, "_subject.txt").render(context)
    # One line, whatever its template's line breaks: a name cannot add headers.
    subject = " ".join(f"{settings.PROGRAM_NAME}: {subject}".split())[:300]
    context["subject"] = subject
    text = _template(kind, audience, ".txt").render(context).strip() + "\n"
    html = _template(kind, audience, ".html").render(context)
    return subject, text, html
