"""Import the council's Markdown listing page into the directory."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetups import services
from meetups.listing import ListingError
from meetups.models import Meetup

VERBS = {
    "created": ("created", "would be created"),
    "updated": ("updated", "would be updated"),
    "unchanged": ("unchanged", "unchanged"),
}


class Command(BaseCommand):
    help = (
        "Import a Jekyll Markdown listing page (front matter, intro, one '## Name ##' block per "
        "group). Groups are matched by name and updated in place, so importing twice changes "
        "nothing. A page with errors changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The Markdown page, for example metro-meetups-page.md")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Import only when no group exists yet (make run uses this, so staff edits "
            "survive a restart).",
        )

    def handle(self, *args, path, dry_run, if_empty, **options):
        if if_empty and Meetup.objects.exists():
            self.stdout.write(
                "The directory already has groups: nothing imported. "
                f"To update them from the page, run: manage.py import_listing {path}"
            )
            return
        file = Path(path)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise CommandError(
                f"{path} was not imported; nothing changed.\n"
                f"Line {line}: expected UTF-8 text, found bytes that are not."
            ) from exc
        try:
            report = services.import_listing(text=text, dry_run=dry_run)
        except ListingError as exc:
            raise CommandError(f"{path} was not imported; nothing changed.\n{exc}") from exc

        tense = 1 if dry_run else 0
        for change in report.groups:
            line = f"  {VERBS[change.status][tense]}: {change.name}"
            if change.fields:
                line += f" ({', '.join(change.fields)})"
            if change.archived:
                line += " [archived here; stays archived]"
            self.stdout.write(line)
        for name in report.not_in_page:
            self.stdout.write(f"  not in the page, left as it is: {name}")
        self.stdout.write(f"Intro and front matter: {VERBS[report.intro][tense]}.")
        summary = (
            f"{len(report.groups)} groups in {file.name}: "
            f"{report.count('created')} {VERBS['created'][tense]}, "
            f"{report.count('updated')} {VERBS['updated'][tense]}, "
            f"{report.count('unchanged')} unchanged."
        )
        if dry_run:
            summary += " Dry run: nothing was written."
        self.stdout.write(self.style.SUCCESS(summary))
