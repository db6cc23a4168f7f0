from django.core.management.base import BaseCommand

from reports import services


class Command(BaseCommand):
    help = "Store every closed year's report figures (the nightly task; safe to run twice)."

    def handle(self, *args, **options):
        stored = services.freeze_closed_years()
        self.stdout.write(f"{stored} closed years stored.")
