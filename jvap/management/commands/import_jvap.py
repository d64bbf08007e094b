"""Import a JVAP spreadsheet for a partner (the secretariat's migrations of past years)."""

import gc
from pathlib import Path

from django.core.checks import Tags
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jvap import services
from jvap.models import ReportingPartner


class DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import a JVAP .xlsx or .csv file for a partner. Prints 'N new, N updated, N unchanged', "
        "or one line per problem and exits non-zero, writing nothing."
    )
    # The checks of what an import uses: its models and the cache of the data version. The
    # URL checks would import every view, the API and its schema, a third of a second of a
    # 10,000-row import; `manage.py check` and the servers run them.
    requires_system_checks = [Tags.models, Tags.caches]

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--partner",
            required=True,
            help="ISO alpha-2 code of the reporting state, or the organisation's acronym.",
        )
        parser.add_argument("--campaign", type=int, help="Campaign year (default: current).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report only.")
        parser.add_argument(
            "--publish", action="store_true", help="Mark the entries validated and public."
        )

    def run_from_argv(self, argv):
        # Run from the command line (not call_command), the process ends with the import. The
        # objects of its start-up (Django and the apps: about 100,000) live as long as it:
        # frozen, the collection at exit does not walk them (0.2 s). The import makes next to
        # no cyclic garbage (about 300 objects, at 10,000 or 50,000 rows or 100,000 errors):
        # the collector is off, so its full collections, set off by the rows kept in memory,
        # do not walk all of them again and again (0.7 s of a 10,000-row import, 2.2 s of a
        # 50,000-row one even with the start-up frozen).
        gc.freeze()
        gc.disable()
        super().run_from_argv(argv)

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        data = path.read_bytes()
        campaign = self._campaign(options["campaign"])
        try:
            with transaction.atomic():
                partner = ReportingPartner.for_code(options["partner"])
                if partner is None:
                    raise CommandError(
                        f"No state with the ISO code or organisation with the acronym "
                        f"{options['partner']!r}."
                    )
                if options["dry_run"]:
                    preview = services.upload_preview(
                        data=data, filename=path.name, partner=partner
                    )
                    if not preview.ok:
                        raise services.UploadRefused(preview)
                    self.stdout.write(preview.summary)
                    raise DryRunRollback
                preview, _upload = services.upload_confirm(
                    data=data,
                    filename=path.name,
                    partner=partner,
                    campaign=campaign,
                    publish=options["publish"],
                )
        except DryRunRollback:
            return
        except services.UploadInterrupted as interrupted:
            raise CommandError(interrupted.message, returncode=3) from None
        except services.UploadRefused as refusal:
            for error in refusal.preview.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(refusal.preview.errors)} problem(s): the file was refused, nothing was "
                "written.",
                returncode=2,
            ) from None
        for warning in preview.warnings:
            self.stderr.write(warning)
        self.stdout.write(preview.summary)

    def _campaign(self, year):
        """The campaign of the year; migrations of past years create it for the whole year."""
        if year is None:
            return services.campaign_for_upload()
        return services.campaign_of_year(year)
