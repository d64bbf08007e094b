"""django-import-export's default path on the benchmark file: what a plain set-up would do.

A ModelResource over the entry's own columns (no countries, organisations or secondary domains,
which favours this baseline), imported row by row with the library's defaults (no bulk mode),
in one transaction, the way the admin's import does it.
"""

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmd_portal.settings.base")
django.setup()

import tablib  # noqa: E402
from import_export import fields, resources  # noqa: E402
from import_export.widgets import ForeignKeyWidget  # noqa: E402

from dialogues.models import Domain  # noqa: E402
from jvap.models import JvapEntry, ReportingPartner  # noqa: E402


class PlainEntryResource(resources.ModelResource):
    reference = fields.Field(attribute="reference", column_name="Reference")
    title = fields.Field(attribute="title", column_name="Title")
    type = fields.Field(attribute="type", column_name="Type")
    domain = fields.Field(
        attribute="domain", column_name="JVAP domain", widget=ForeignKeyWidget(Domain, "number")
    )
    budget_eur = fields.Field(attribute="budget_eur", column_name="Budget (EUR)")
    start_date = fields.Field(attribute="start_date", column_name="Start date")
    end_date = fields.Field(attribute="end_date", column_name="End date")
    status = fields.Field(attribute="status", column_name="Status")
    description = fields.Field(attribute="description", column_name="Description")
    website = fields.Field(attribute="website", column_name="Website")

    class Meta:
        model = JvapEntry
        import_id_fields = ["reference"]
        fields = [
            "reference",
            "title",
            "type",
            "domain",
            "budget_eur",
            "start_date",
            "end_date",
            "status",
            "description",
            "website",
        ]

    def __init__(self, partner):
        super().__init__()
        self.partner = partner

    def get_queryset(self):
        return JvapEntry.objects.filter(partner=self.partner)

    def before_save_instance(self, instance, row, **kwargs):
        instance.partner = self.partner
        instance.campaign_year = 2026
        instance.type = str(instance.type).lower()
        instance.status = str(instance.status).lower()


def main(path: str) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    dataset = tablib.Dataset(*rows[1:], headers=list(rows[0]))
    # Another partner than import_jvap's runs, so that every row is new here too.
    partner, _created = ReportingPartner.objects.get_or_create(
        code="ML", defaults={"country": "ML"}
    )
    result = PlainEntryResource(partner).import_data(dataset, dry_run=False, raise_errors=True)
    print(f"{result.totals}")


if __name__ == "__main__":
    main(sys.argv[1])
