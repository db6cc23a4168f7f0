from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Emails about listed groups: receivers of meetups' signals (meetups.events).
        from . import groups  # noqa: F401
