"""The floor of a spreadsheet import: openpyxl read-only reading + PostgreSQL COPY.

No validation, no look-ups, no history: what no importer of the same file can beat.
"""

import os
import sys

import psycopg
from openpyxl import load_workbook


def main(path: str) -> None:
    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = workbook.worksheets[0].iter_rows(min_row=3, values_only=True)
    with psycopg.connect(
        os.environ["DATABASE_URL"].replace("postgres://", "postgresql://")
    ) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_floor")
        conn.execute(
            "CREATE TABLE bench_floor (" + ", ".join(f"c{i} text" for i in range(15)) + ")"
        )
        with conn.cursor().copy("COPY bench_floor FROM STDIN") as copy:
            for row in rows:
                copy.write_row(["" if value is None else str(value) for value in row[:15]])
        conn.execute("DROP TABLE bench_floor")


if __name__ == "__main__":
    main(sys.argv[1])
