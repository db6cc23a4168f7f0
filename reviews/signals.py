"""What reviews announces, for the layers above it (notifications) to act on without
reviews importing them."""

from django.dispatch import Signal

# A comment was written (by staff, or the organizers' reply). Sent by the comment services
# inside the comment's database transaction, with `comment` (a saved reviews.Comment).
comment_posted = Signal()
