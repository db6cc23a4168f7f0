from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Proposals"

    def ready(self):
        # Models are loaded only once the apps are ready (Django's rule for ready(), not an
        # import cycle).
        from . import overlap, page_cache

        overlap.connect()
        page_cache.connect()
