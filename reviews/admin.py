"""Reviews and comments, read-only, under the workspace's rules: only proposals staff can see
(never drafts), and a staff member who organizes a proposal (same email) sees none of its
reviews nor its internal comments (reviews.services.is_conflicted)."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin
from intake.models import Organizer

from .models import Comment, Review, Visibility
from .queue import visible_to_staff


def _own_proposals(user):
    """The proposals this user organizes, by email, as a subquery."""
    email = (getattr(user, "email", "") or "").strip()
    return Organizer.objects.filter(email__iexact=email).values("proposal") if email else []


# Written in the workspace (/reviews/), so the automatic "reviewed" step, the one-reviewer
# rules and the notifications always apply; here they can only be read.
class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "reviewer", "recommendation", "updated_at"]
    list_filter = ["recommendation"]
    search_fields = ["proposal__reference", "proposal__name", "reviewer__email"]
    raw_id_fields = ["proposal", "reviewer"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(proposal__in=visible_to_staff())
            .exclude(proposal__in=_own_proposals(request.user))
        )


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "author_label", "visibility", "created_at"]
    list_filter = ["visibility", "by_organizers"]
    search_fields = ["proposal__reference", "body"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(proposal__in=visible_to_staff())
            .exclude(visibility=Visibility.INTERNAL, proposal__in=_own_proposals(request.user))
        )
