"""Load the portal's reference data (the real facts in fixtures/reference/)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from core.reference import ReferenceDataError

# Each app's loader follows core.reference's contract: `load(fixtures_dir, *, update=False)
# -> {"created": n, "updated": n}`, raising ReferenceDataError for a bad file. An app with
# reference data of its own adds its loader here, after the ones it builds on.
LOADERS = [
    "dialogues.reference.load",
    "jvap.reference.load",
    "grants.reference.load",
]

DEFAULT_FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"


class Command(BaseCommand):
    help = (
        "Load the reference data from fixtures/reference/. Safe to run again: it creates what "
        "is missing and leaves existing records (and the secretariat's edits) untouched, "
        "unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--update",
            action="store_true",
            help="Also bring existing records back in line with the reference files.",
        )
        parser.add_argument(
            "--fixtures-dir",
            type=Path,
            default=DEFAULT_FIXTURES_DIR,
            help="Folder holding the reference files (default: fixtures/reference/).",
        )

    def handle(self, *args, update: bool, fixtures_dir: Path, **options):
        totals = {"created": 0, "updated": 0}
        try:
            with transaction.atomic():
                for dotted_path in LOADERS:
                    counts = import_string(dotted_path)(fixtures_dir, update=update)
                    for name in totals:
                        totals[name] += counts[name]
                    if options["verbosity"] >= 2:
                        self.stdout.write(f"{dotted_path}: {counts}")
        except ReferenceDataError as error:
            raise CommandError(f"Reference data not loaded, nothing written: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data loaded: {totals['created']} created, {totals['updated']} updated."
            )
        )
