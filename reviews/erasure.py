"""The workspace's part of erasure (intake.erasure): what organizers wrote in comments is
theirs, and goes with the rest; staff's own comments and reviews stay. Receivers of intake's
signals, connected in ReviewsConfig.ready()."""

from .models import Comment


def add_comments(sender, *, proposal, into: dict, **kwargs) -> None:
    shared = Comment.objects.filter(proposal=proposal, visibility="shared").order_by("created_at")
    into["messages"] = [
        {"when": c.created_at.isoformat(), "by_organizers": c.by_organizers, "text": c.body}
        for c in shared
    ]


def erase_comments(sender, *, proposal, **kwargs) -> None:
    Comment.objects.filter(proposal=proposal, by_organizers=True).update(body="(erased)")
