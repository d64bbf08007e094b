"""Benchmark of the JVAP import (not a test: speed goals live here, not in timed tests).

    .venv/bin/python -m bench.jvap_import --rows 10000

Builds a file of N entries, then times the preview (CSV and XLSX), the first confirmation
(all new), a confirmation that changes every entry, and the same file again, on a throwaway
test database (DATABASE_URL chooses SQLite or PostgreSQL). Prints the peak memory.
"""

import argparse
import os
import resource
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    rows_wanted = parser.parse_args().rows
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mmd_portal.settings.test")
    uploads = tempfile.TemporaryDirectory(prefix="jvap-bench-")
    os.environ["JVAP_UPLOADS_ROOT"] = uploads.name  # the stored files are thrown away
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        run(rows_wanted)
    finally:
        teardown_databases(databases, verbosity=0)
        uploads.cleanup()


def run(count: int) -> None:
    from jvap import services
    from tests.jvap.factories import ReportingPartnerFactory, make_domains
    from tests.jvap.sheets import csv_bytes, row, xlsx_bytes

    make_domains()
    partner = ReportingPartnerFactory(country="SN")
    countries = "Niger; Mali, Congo, The Democratic Republic of the"
    first = [row(Reference=str(n), Title=f"Project {n}", Countries=countries) for n in range(count)]
    changed = [{**values, "Title": values["Title"] + " (2)"} for values in first]

    def timed(label, action):
        start = time.perf_counter()
        outcome = action()
        print(f"{label:<28} {time.perf_counter() - start:6.2f} s")
        return outcome

    for name, data in (("csv", csv_bytes(first)), ("xlsx", xlsx_bytes(first))):
        timed(
            f"preview {count} rows ({name})",
            lambda data=data, name=name: services.upload_preview(
                data=data, filename=f"e.{name}", partner=partner
            ),
        )
    for label, rows in (
        ("confirm, all new", first),
        ("confirm, all changed", changed),
        ("confirm, same file again", changed),
    ):
        data = csv_bytes(rows)
        timed(
            label,
            lambda data=data: services.upload_confirm(data=data, filename="e.csv", partner=partner),
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory                  {peak:6.0f} MB")


if __name__ == "__main__":
    main()
