"""The admin, with its site replaced by accounts.admin_site.StaffAdminSite (INSTALLED_APPS
names this config instead of django.contrib.admin)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.StaffAdminSite"
