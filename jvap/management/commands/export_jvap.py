"""Export every public JVAP entry in the template's columns (an export re-imports unchanged)."""

import sys

from django.core.management.base import BaseCommand

from jvap.exports import export_response
from jvap.models import JvapEntry


class Command(BaseCommand):
    help = "Export all published JVAP entries as CSV, XLSX or JSON, in the template's columns."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args, **options):
        entries = JvapEntry.objects.published().order_by("partner__code", "reference")
        response = export_response(entries, options["format"], "jvap-entries", codes=False)
        chunks = response.streaming_content if response.streaming else [response.content]
        if options["output"]:
            with open(options["output"], "wb") as output:
                for chunk in chunks:
                    output.write(chunk)
        else:
            out = getattr(self.stdout, "_out", sys.stdout)
            binary = getattr(out, "buffer", None)
            for chunk in chunks:
                if binary is not None:
                    binary.write(chunk)
                else:
                    out.write(chunk.decode("utf-8", errors="replace"))
            out.flush()
