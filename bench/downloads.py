"""20 parallel anonymous full downloads while other visitors load pages (issue 12).

The task worker first builds the full downloads (timed); then gunicorn serves 20 visitors
downloading `/jvap/export.csv` again and again while 10 others load the public pages in turn.
The targets: p95 of the other pages under 500 ms, no gunicorn worker killed, no server error
other than the deliberate "busy, try again" 503.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.load import free_port, start_gunicorn

ROOT = Path(__file__).resolve().parent.parent
PARALLEL_DOWNLOADS = 20
VISITORS = 10
SECONDS = int(os.environ.get("BENCH_DOWNLOAD_SECONDS", "30"))
DOWNLOAD = "/jvap/export.csv"
# A downloader told "busy, try again" waits this long before asking again (a real visitor
# waits the Retry-After; a shorter pause keeps the pressure on for the measurement).
BUSY_PAUSE_SECONDS = 1.0


def _get(url: str) -> tuple[int, str, float]:
    """(status, how it was served, seconds) of one GET, read to the end."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=300) as response:
            while response.read(1 << 16):
                pass
            return response.status, response.headers.get("X-Download", "live"), _since(started)
    except urllib.error.HTTPError as error:
        return error.code, "", _since(started)
    except OSError:
        return 0, "", _since(started)


def _since(started: float) -> float:
    return time.perf_counter() - started


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _download_again_and_again(url: str, seconds: float) -> list[tuple[int, str, float]]:
    """`PARALLEL_DOWNLOADS` visitors downloading `url` for `seconds`, each again as soon as
    it has the file (or `BUSY_PAUSE_SECONDS` after a 503)."""
    downloads: list[tuple[int, str, float]] = []
    stop = threading.Event()

    def download() -> None:
        while not stop.is_set():
            downloads.append(_get(url))
            if downloads[-1][0] == 503:  # told to come back (Retry-After): soon, here
                stop.wait(BUSY_PAUSE_SECONDS)

    _run_for(seconds, stop, [threading.Thread(target=download) for _ in range(PARALLEL_DOWNLOADS)])
    return downloads


def _run_for(seconds: float, stop: threading.Event, threads: list[threading.Thread]) -> None:
    """Run the threads for `seconds`, then tell them to stop and wait for them."""
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()


def _build_full_downloads() -> float:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    started = time.perf_counter()
    enqueue = "from core.tasks import build_full_downloads; build_full_downloads.enqueue()"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", enqueue], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return _since(started)


def measure(
    report: list[str], pages: list[tuple[str, str]], build_seconds: float | None = None
) -> None:
    """With `build_seconds`, the full downloads were just built by the worker after the
    seeding (that long); otherwise they are built (and timed) here."""
    if build_seconds is None:
        build_seconds = _build_full_downloads()
    log = ROOT / "bench" / "work" / "gunicorn-downloads.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    paths = [path for _, path in pages if "/export." not in path]
    with log.open("w") as log_file:
        server = start_gunicorn(port, log=log_file)
    try:
        for path in paths:
            _get(base + path)  # warm the cache
        visits = []
        stop = threading.Event()

        def visit(offset: int) -> None:
            number = offset
            while not stop.is_set():
                visits.append(_get(base + paths[number % len(paths)]))
                number += 1

        # The downloaders read in a process of their own: in this one, 20 threads reading
        # files would hold the interpreter lock that the visitors' timings wait for.
        fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=fork) as pool:
            downloaders = pool.submit(_download_again_and_again, base + DOWNLOAD, SECONDS)
            visitors = [threading.Thread(target=visit, args=(n,)) for n in range(VISITORS)]
            _run_for(SECONDS, stop, visitors)
            downloads = downloaders.result()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    killed = log.read_text().count("WORKER TIMEOUT")
    page_seconds = [seconds for status, _, seconds in visits if status == 200]
    errors = [status for status, _, _ in visits + downloads if status >= 500 and status != 503]
    served = {
        kind: sum(1 for status, how, _ in downloads if status == 200 and how == kind)
        for kind in ("prebuilt", "live")
    }
    busy = sum(1 for status, _, _ in downloads if status == 503)
    download_seconds = [seconds for status, _, seconds in downloads if status == 200]
    report += [
        "## Full downloads under load",
        "",
        f"The task worker built every full download (JVAP entries and grants, CSV, XLSX and "
        f"JSON, English and French) in **{build_seconds:.1f} s**. Then, for {SECONDS} s, "
        f"{PARALLEL_DOWNLOADS} visitors downloaded `{DOWNLOAD}` again and again while "
        f"{VISITORS} others loaded the public pages in turn (a downloader answered 503 busy "
        f"asked again {BUSY_PAUSE_SECONDS:.0f} s later):",
        "",
        f"- downloads: {served['prebuilt']} served from the prebuilt file, {served['live']} "
        f"built in the request, {busy} answered 503 busy; one download (the whole file, "
        f"read to the end) took p50 {_percentile(download_seconds, 0.5):.2f} s, p95 "
        f"{_percentile(download_seconds, 0.95):.2f} s;",
        f"- other pages: {len(page_seconds)} loaded, p50 "
        f"{_percentile(page_seconds, 0.5) * 1000:.0f} ms, **p95 "
        f"{_percentile(page_seconds, 0.95) * 1000:.0f} ms** (target: under 500 ms);",
        f"- **{len(errors)} server errors** other than the deliberate 503, **{killed} gunicorn "
        "workers killed** (WORKER TIMEOUT).",
        "",
    ]
