"""Private group links in emails. They follow the proposal links' rule: the stored body
holds a placeholder naming the group and the page, and `fill_group_links` makes a fresh link
when the email is sent, only for a recipient who keeps that group's page (or is its named
successor), so the outbox never stores or shows a working link."""

import re

from django.conf import settings
from django.urls import reverse

from meetups.access import issue_group_link, issue_handover_link
from meetups.models import GroupContact, Handover

from .models import Notification

GROUP_LINK_PLACEHOLDER = "@@group-link:{meetup_id}:{page}@@"
GROUP_LINK_PATTERN = re.compile(r"@@group-link:(\d+):(manage|check-in|accept)@@")


def fill_group_links(body: str, notification: Notification, *, made: dict) -> str:
    """Replace group link placeholders with fresh private links, only for a recipient who
    keeps that group's page (or, for "accept", its named successor). A placeholder typed
    into a group's description gives nothing."""

    def replace(match):
        meetup_id, page = int(match.group(1)), match.group(2)
        key = (meetup_id, "accept" if page == "accept" else "manage")
        if key not in made:
            recipient = notification.recipient
            if page == "accept":
                handover = (
                    Handover.objects.filter(
                        meetup_id=meetup_id,
                        successor_email__iexact=recipient,
                        status=Handover.Status.PENDING,
                    )
                    .order_by("-pk")
                    .first()
                )
                made[key] = handover and issue_handover_link(handover=handover)
            else:
                contact = GroupContact.objects.filter(
                    meetup_id=meetup_id, email__iexact=recipient
                ).first()
                made[key] = contact and issue_group_link(contact=contact)
        token = made[key]
        if not token:
            return "(link not available)"
        name = {
            "manage": "meetups:group_home",
            "check-in": "meetups:group_check_in",
            "accept": "meetups:group_accept",
        }[page]
        return settings.SITE_URL + reverse(name, kwargs={"token": token})

    return GROUP_LINK_PATTERN.sub(replace, body)
