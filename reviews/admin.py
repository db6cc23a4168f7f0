from django.contrib import admin

from .models import Comment, Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["proposal", "reviewer", "recommendation", "updated_at"]
    list_filter = ["recommendation"]
    search_fields = ["proposal__reference", "proposal__name", "reviewer__email"]
    raw_id_fields = ["proposal", "reviewer"]

    # Reviews are written in the workspace (/reviews/), so the automatic "reviewed" step
    # and the one-reviewer rules always apply; here they can only be read.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["proposal", "author_label", "visibility", "created_at"]
    list_filter = ["visibility", "by_organizers"]
    search_fields = ["proposal__reference", "body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
