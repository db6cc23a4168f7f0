from django.contrib import admin
from django.db import models

from .fields import WebAddressField
from .models import DirectoryPage, Meetup, MeetupOrganizer


class MeetupOrganizerInline(admin.TabularInline):
    model = MeetupOrganizer
    extra = 1
    fields = ["name", "role_label", "position"]


@admin.register(Meetup)
class MeetupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_listed", "position", "proposal", "updated_at"]
    list_filter = ["is_listed"]
    list_editable = ["position"]
    search_fields = ["name", "organizers__name"]
    readonly_fields = ["proposal", "created_at", "updated_at"]
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
