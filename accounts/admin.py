"""Accounts in the admin: a role is a group membership, set on the user's page. Adding,
changing or deleting an account, setting its password or changing a group's permissions asks
for a fresh sign-in first (a form sent meanwhile is carried out after it)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from .roles import fresh_sign_in_required


class FreshSignInMixin:
    def add_view(self, request, *args, **kwargs):
        return fresh_sign_in_required(super().add_view)(request, *args, **kwargs)

    def change_view(self, request, *args, **kwargs):
        return fresh_sign_in_required(super().change_view)(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return fresh_sign_in_required(super().delete_view)(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        # Listing needs nothing more; an action (such as deleting the chosen) does.
        view = super().changelist_view
        if request.method == "POST":
            view = fresh_sign_in_required(view)
        return view(request, *args, **kwargs)


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class StaffUserAdmin(FreshSignInMixin, UserAdmin):
    def user_change_password(self, request, *args, **kwargs):
        return fresh_sign_in_required(super().user_change_password)(request, *args, **kwargs)


@admin.register(Group)
class StaffGroupAdmin(FreshSignInMixin, GroupAdmin):
    pass
