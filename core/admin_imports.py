"""The admin's spreadsheet imports (django-import-export) read their files through the portal's
file guards and CSV decoding (`core.spreadsheet`): a zip bomb, an entity declaration, binary
data or an oversized file is refused with the same message as in every other upload, and a
CSV saved by Excel on Windows (Windows-1252) is read as well as UTF-8."""

from __future__ import annotations

from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats

from .spreadsheet import SheetLimits, SheetRefused, checked_file


class GuardedCSV(base_formats.CSV):
    # The bytes reach `create_dataset`, which decodes them as every CSV of the portal is.
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        data = in_stream.encode() if isinstance(in_stream, str) else in_stream
        text = checked_file(data, "import.csv", limits=SheetLimits())
        return super().create_dataset(text, **kwargs)


class GuardedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return super().create_dataset(checked_file(in_stream, "import.xlsx", limits=SheetLimits()))


class GuardedImportExportModelAdmin(ImportExportModelAdmin):
    """ImportExportModelAdmin whose imports accept CSV and XLSX through the file guards."""

    import_formats = [GuardedCSV, GuardedXLSX]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SheetRefused):
            form.add_error("import_file", e.message)
        else:
            super().add_data_read_fail_error_to_form(form, e)
