"""Admin pieces every app uses."""


class ReadOnlyAdminMixin:
    """Rows that change only through the apps' own services (and their history), never by
    hand in the admin: listed and read here, never added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
