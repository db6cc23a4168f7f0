"""The admin behind the staff sign-in: its login page sends people to allauth's (so the rate
limits and the second factor apply), and whoever must use two factors and has none is sent
to set one up before any admin page."""

from functools import wraps

from allauth.account.decorators import secure_admin_login
from django.contrib import admin

from .roles import enrollment_redirect


class StaffAdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        return secure_admin_login(super().login)(request, extra_context)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def wrapper(request, *args, **kwargs):
            if request.user.is_active and request.user.is_staff:
                enroll = enrollment_redirect(request)
                if enroll is not None:
                    return enroll
            return inner(request, *args, **kwargs)

        return wrapper
