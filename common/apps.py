from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Pieces every app uses (the throttle, form helpers); the bottom layer with config."""

    name = "common"
    verbose_name = "Common"
