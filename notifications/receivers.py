"""Notifications listens to the layers below it: each announcement becomes the emails it
calls for, recorded inside the announcing transaction. Connected in NotificationsConfig.ready,
as django.contrib.auth connects update_last_login."""

from .recording import (
    record_access_links,
    record_comment,
    record_draft_saved,
    record_introduction,
    record_sign_in_alert,
    record_transition,
)


def on_proposal_transitioned(sender, *, proposal, record, **kwargs):
    record_transition(proposal=proposal, record=record)


def on_comment_posted(sender, *, comment, **kwargs):
    record_comment(comment=comment)


def on_access_links_requested(sender, *, email, proposals, **kwargs):
    record_access_links(email=email, proposals=proposals)


def on_draft_started(sender, *, proposal, **kwargs):
    record_draft_saved(proposal=proposal)


def on_sign_in_throttled(sender, *, username, address, failures, window, **kwargs):
    """Tell a staff member that their account is being guessed."""
    record_sign_in_alert(username=username, address=address, failures=failures, window=window)


def on_introduction_requested(sender, *, request, **kwargs):
    record_introduction(request=request)
