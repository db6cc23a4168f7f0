from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from config import health
        from reviews.signals import sign_in_throttled

        from . import receivers, services

        sign_in_throttled.connect(
            receivers.tell_owner_of_guessed_sign_in, dispatch_uid="notifications-sign-in"
        )
        health.register("beat", services.beat_status)
