from django.contrib import admin

from .models import ProgramPage, Proposal, ProposalTransition


@admin.register(ProgramPage)
class ProgramPageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    readonly_fields = ["slug", "updated_at"]


@admin.register(ProposalTransition)
class ProposalTransitionAdmin(admin.ModelAdmin):
    """History is read-only: it can be read here, never changed."""

    list_display = ["proposal", "transition", "from_state", "to_state", "actor_label", "created_at"]
    list_filter = ["transition", "to_state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["reference", "name", "state", "submitted_at"]
    list_filter = ["state"]
    search_fields = ["reference", "name", "organizers__name", "organizers__email"]
    readonly_fields = ["reference", "state", "created_at", "submitted_at", "decided_at"]

    def has_add_permission(self, request):
        return False  # proposals come from the public form

    def has_delete_permission(self, request, obj=None):
        return False
