from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        # Models are loaded only once the apps are ready (Django's rule for ready()).
        from . import erasure, queue_counts  # noqa: F401  (erasure: its receivers)

        queue_counts.connect()
