from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Receivers for the reminders intake and reviews announce, and the beat tasks.
        from . import reminders  # noqa: F401
