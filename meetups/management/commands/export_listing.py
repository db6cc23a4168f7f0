"""Write the directory as the council's Markdown listing page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from meetups import services
from meetups.listing import render_listing


class Command(BaseCommand):
    help = "Write the listed groups as a Jekyll Markdown page (to standard output by default)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Write to this file instead of the terminal.")

    def handle(self, *args, output=None, **options):
        listing = services.current_listing()
        text = render_listing(listing)
        if not output:
            self.stdout.write(text, ending="")
            return
        target = Path(output)
        try:
            # Write beside the target, then rename: a failed export never leaves half a page.
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(target)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
        self.stderr.write(f"Wrote {len(listing.groups)} groups to {output}.")
