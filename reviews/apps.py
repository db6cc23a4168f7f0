from django.apps import AppConfig

from common import jobs as timed_jobs
from intake.signals import personal_data_erasing, personal_data_requested


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self):
        # Models are loaded only once the apps are ready (Django's rule for ready()).
        from . import erasure, jobs, queue_counts, tasks  # noqa: F401  (tasks: the beat task)

        queue_counts.connect()
        personal_data_requested.connect(
            erasure.add_comments, dispatch_uid="reviews.erasure.download"
        )
        personal_data_erasing.connect(erasure.erase_comments, dispatch_uid="reviews.erasure.erase")
        timed_jobs.register(*jobs.JOBS)
