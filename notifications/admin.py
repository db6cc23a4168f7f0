from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox page (/reviews/outbox/) is where emails are resent."""

    list_display = ["created_at", "recipient", "kind", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient", "subject", "proposal__reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
