from django.contrib import admin
from django.db import models

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
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(DirectoryPage)
class DirectoryPageAdmin(admin.ModelAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return not DirectoryPage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
