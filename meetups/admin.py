from django.contrib import admin
from django.db import models

from .fields import WebAddressField
from .forms import MeetupAdminForm
from .models import DirectoryPage, Meetup, MeetupOrganizer


class MeetupOrganizerInline(admin.TabularInline):
    """The names on the directory. A name is there because its person agreed (or came from
    the council's own page, for an imported group: meetups.consent), so it is shown, never
    rewritten or added here; staff may still order the names or take one off."""

    model = MeetupOrganizer
    extra = 0
    fields = ["name", "role_label", "position"]
    readonly_fields = ["name"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meetup)
class MeetupAdmin(admin.ModelAdmin):
    # The name obeys the edit form's rules: no look-alike of another listed group's name.
    form = MeetupAdminForm
    list_display = ["name", "lifecycle", "is_listed", "check_in_due_on", "position", "updated_at"]
    list_filter = ["lifecycle", "is_listed"]
    list_editable = ["position"]
    search_fields = ["name", "organizers__name"]
    # The lifecycle changes only through meetups.lifecycle (the staff group page); listing
    # follows it, so neither is edited here.
    readonly_fields = [
        "proposal",
        "lifecycle",
        "is_listed",
        # Dates move only with the lifecycle (extend refuses a past or far date).
        "check_in_due_on",
        "state_since",
        "last_confirmed_at",
        "created_at",
        "updated_at",
    ]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MeetupOrganizerInline]
    # The same web address rules as the forms: it is written into the exported page's link.
    formfield_overrides = {models.URLField: {"form_class": WebAddressField}}


@admin.register(DirectoryPage)
class DirectoryPageAdmin(admin.ModelAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return not DirectoryPage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
