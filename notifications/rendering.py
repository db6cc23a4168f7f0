"""Rendering a message: subject, text and HTML bodies from the templates in
templates/notifications/email/ (<kind>_<audience>_subject.txt, .txt and .html).

Private links: an organizer's email links to the private status page. Tokens are stored only
as hashes, so the rendered body holds a placeholder and a fresh link is made when the email
is sent (notifications.delivery): the outbox never stores or shows a working link.
"""

import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

# A private link in a rendered body: replaced by a fresh link when the email is sent.
LINK_PLACEHOLDER = "@@private-link:{proposal_id}:{page}@@"
LINK_PATTERN = re.compile(r"@@private-link:(\d+):(status|edit)@@")
# The link to everything held about the recipient's address (/privacy/my-data/), signed for
# the recipient when the email is sent (notifications.delivery).
MY_DATA_PLACEHOLDER = "@@my-data-link@@"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def review_url(proposal) -> str:
    return absolute(f"/reviews/{proposal.reference}/")


def group_url(proposal) -> str:
    """The page of the group listed for an approved proposal (the directory if it has
    none). Its slug never changes, so the link keeps working after staff edits."""
    meetup = getattr(proposal, "meetup", None)  # the reverse one-to-one, set on approve
    return absolute(meetup.get_absolute_url() if meetup else reverse("meetups:directory"))


def _context(*, proposal, extra: dict) -> dict:
    context = {
        "program_name": settings.PROGRAM_NAME,
        "organization_name": settings.ORGANIZATION_NAME,
        "contact_email": settings.PROGRAM_CONTACT_EMAIL,
    }
    if proposal is not None:
        context.update(
            reference=proposal.reference,
            name=proposal.name,
            status_link=LINK_PLACEHOLDER.format(proposal_id=proposal.pk, page="status"),
            edit_link=LINK_PLACEHOLDER.format(proposal_id=proposal.pk, page="edit"),
            review_link=review_url(proposal),
            reply_due=proposal.reply_due,
        )
    context.update(extra)
    return context


def render_message(*, kind: str, audience: str, proposal, extra: dict) -> tuple[str, str, str]:
    """Subject, text body and HTML body of one message."""
    context = _context(proposal=proposal, extra=extra)
    # Staff are not told how to reach program staff: they are it.
    context.setdefault("staff_reader", audience != "organizer")
    template = f"notifications/email/{kind}_{audience}"
    # Beside its body, one template per message; its line breaks and spaces do not count.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    subject = f"{settings.PROGRAM_NAME}: {subject}"
    context["subject"] = subject
    text = render_to_string(f"{template}.txt", context).strip() + "\n"
    html = render_to_string(f"{template}.html", context)
    # Subjects are one line; a proposal name cannot add headers.
    return " ".join(subject.split())[:300], text, html
