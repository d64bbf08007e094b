"""Run the whole test suite on SQLite and on a throwaway PostgreSQL server at the same time.

    python scripts/test_both_databases.py [PYTEST ARGS...]

Each run is a separate pytest process (its own database, media, cache and download folders:
mmd_portal/settings/test.py); most of a test's time is one core's work or waiting, so two runs
side by side take little longer than the slower one alone. Every output line carries its
run's name; the exit code is non-zero when either run fails, and the end repeats each run's
summary so that the result is not lost in the interleaved output.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(pytest_args: list[str]) -> dict[str, list[str]]:
    pytest = [sys.executable, "-m", "pytest", *pytest_args]
    throwaway = [sys.executable, str(ROOT / "scripts" / "throwaway_postgres.py"), "--"]
    return {"sqlite": pytest, "postgres": [*throwaway, *pytest]}


def relay(name: str, process: subprocess.Popen, tail: list[str]) -> None:
    """Copy the run's output line by line with its name in front; keep its last lines."""
    for line in process.stdout:
        sys.stdout.write(f"[{name}] {line}")
        sys.stdout.flush()
        tail.append(line)
        del tail[:-40]


def main(pytest_args: list[str]) -> int:
    started = time.monotonic()
    runs = {}
    for name, command in commands(pytest_args).items():
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        tail: list[str] = []
        thread = threading.Thread(target=relay, args=(name, process, tail), daemon=True)
        thread.start()
        runs[name] = (process, thread, tail)
    codes = {}
    for name, (process, thread, _tail) in runs.items():
        codes[name] = process.wait()
        thread.join()
    minutes = (time.monotonic() - started) / 60
    print(f"\n=== Both runs ended after {minutes:.1f} min ===")
    for name, (_process, _thread, tail) in runs.items():
        failures = [line for line in tail if line.startswith(("FAILED", "ERROR"))]
        verdict = "passed" if codes[name] == 0 else f"FAILED (exit {codes[name]})"
        print(f"--- {name}: {verdict}")
        sys.stdout.writelines(failures + tail[-1:])
    return 0 if all(code == 0 for code in codes.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
