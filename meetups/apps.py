from django.apps import AppConfig


class MeetupsConfig(AppConfig):
    name = "meetups"
    verbose_name = "Listed groups"

    def ready(self):
        from . import signals  # noqa: F401
