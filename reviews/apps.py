from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        # Models are loaded only once the apps are ready (Django's rule for ready()).
        from . import queue_counts

        queue_counts.connect()
