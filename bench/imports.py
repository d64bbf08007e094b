"""The JVAP spreadsheet import at 10,000 and 50,000 rows, against its floors.

- `import_jvap` (preview + confirm in one command run), time and peak memory;
- the floor no importer can beat: reading the same file with openpyxl in read-only mode plus
  PostgreSQL COPY of its rows into a plain table;
- django-import-export's default (row by row) path on the same rows, what a plain set-up
  would do.
Each runs in its own process so that peak memory (max RSS) is its own.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
HEADERS = [
    "Reference",
    "Title",
    "Type",
    "JVAP domain",
    "Secondary domains",
    "Countries",
    "Implementing organisations",
    "Donors",
    "Budget (EUR)",
    "Start date",
    "End date",
    "Status",
    "Dialogue",
    "Description",
    "Website",
]
COUNTRIES = [
    "Senegal",
    "Mali",
    "Niger",
    "Nigeria",
    "Morocco",
    "France",
    "Spain",
    "Italy",
    "Ethiopia",
    "Sudan",
    "South Sudan",
    "Guinea",
    "Côte d'Ivoire",
    "Germany",
]


def write_spreadsheet(path: Path, rows: int, seed: int = 7) -> None:
    """A focal point's file of `rows` valid entries (invented, for the benchmark only)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("JVAP entries")
    sheet.append(["Benchmark file – invented data"])
    sheet.append(HEADERS)
    for number in range(1, rows + 1):
        start = datetime.date(2015 + rng.randint(0, 9), rng.randint(1, 12), 1)
        sheet.append(
            [
                f"BENCH-{number:06d}",
                f"Benchmark initiative {number} on migration and mobility",
                rng.choice(["Project", "Policy"]),
                rng.randint(1, 5),
                "; ".join(str(d) for d in rng.sample(range(1, 6), rng.randint(0, 2))),
                "; ".join(rng.sample(COUNTRIES, rng.randint(1, 3))),
                "Benchmark implementer",
                "European Union",
                rng.randint(10, 5000) * 1000,
                start,
                start.replace(year=start.year + rng.randint(1, 4)),
                rng.choice(["Planned", "Ongoing", "Completed"]),
                rng.choice(["Rabat Process", "Khartoum Process", "Both"]),
                "Invented description for the benchmark. " * 3,
                "https://example.org/initiative",
            ]
        )
    workbook.save(path)


def timed_process(args: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Run a command in a child process; its wall time and peak memory (MiB)."""
    runner = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:]).returncode\n"
        "seconds = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print('BENCH-RESULT ' + json.dumps({'seconds': seconds, 'mib': rss, 'code': code}))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", runner, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    for line in output.stdout.splitlines():
        if line.startswith("BENCH-RESULT "):
            result = json.loads(line.removeprefix("BENCH-RESULT "))
            if result["code"] != 0:
                tail = (output.stdout + output.stderr)[-2000:]
                raise RuntimeError(f"{' '.join(args)} failed:\n{tail}")
            return result
    raise RuntimeError(f"no result from {' '.join(args)}:\n{output.stderr[-2000:]}")


def measure(report: list[str]) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    rows = []
    for count in (10_000, 50_000):
        path = WORK / f"jvap-{count}.xlsx"
        if not path.exists():
            write_spreadsheet(path, count)
        manage = [sys.executable, str(ROOT / "manage.py")]
        floor = timed_process([sys.executable, str(ROOT / "bench" / "import_floor.py"), str(path)])
        ours = timed_process([*manage, "import_jvap", str(path), "--partner", "SN"])
        again = timed_process([*manage, "import_jvap", str(path), "--partner", "SN"])
        baseline = None
        if count == 10_000:
            baseline = timed_process(
                [sys.executable, str(ROOT / "bench" / "import_baseline.py"), str(path)]
            )
        rows.append((count, path.stat().st_size, floor, ours, again, baseline))
    lines = [
        "## JVAP spreadsheet import",
        "",
        "`import_jvap FILE --partner SN` (parse, validate, preview and write), run twice: the "
        "first run writes every row as new, the second finds every row unchanged. Each in its "
        "own process; peak memory is the process's max RSS.",
        "",
        "| rows | file | floor: openpyxl read-only + COPY | import_jvap (new rows) "
        "| ratio to floor | import_jvap again (unchanged) | django-import-export default path |",
        "|---|---|---|---|---|---|---|",
    ]
    for count, size, floor, ours, again, baseline in rows:
        base = (
            f"{baseline['seconds']:.1f} s, {baseline['mib']:.0f} MiB "
            f"({baseline['seconds'] / ours['seconds']:.1f}× slower)"
            if baseline
            else "not run (too slow at this size)"
        )
        lines.append(
            f"| {count:,} | {size / 1024 / 1024:.1f} MiB | {floor['seconds']:.1f} s, "
            f"{floor['mib']:.0f} MiB | {ours['seconds']:.1f} s, {ours['mib']:.0f} MiB | "
            f"{ours['seconds'] / floor['seconds']:.1f}× | {again['seconds']:.1f} s, "
            f"{again['mib']:.0f} MiB | {base} |"
        )
    lines += [
        "",
        "Targets: 10,000 rows in well under 30 s and under 400 MB, within 3× of the floor and "
        "at least 3× faster than django-import-export's default path; 50,000 rows within the "
        "same memory.",
        "",
    ]
    report += lines
