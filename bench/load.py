"""Pages under load: gunicorn with its recommended workers, wrk with 50 connections."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 50
SECONDS_PER_PAGE = int(os.environ.get("BENCH_SECONDS_PER_PAGE", "5"))
SOAK_SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "60"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, log=None) -> subprocess.Popen:
    """gunicorn on the benchmark database; its own log goes to `log` (a file) when given."""
    workers = (os.cpu_count() or 1) * 2 + 1
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DJANGO_CONN_MAX_AGE": "60"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "mmd_portal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=log,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__bench__/trivial/", timeout=10)
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("gunicorn did not start within 90 s")


def wrk(url: str, seconds: int, script: Path | None = None) -> dict[str, float]:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}
    for name, key in (("50%", "p50"), ("99%", "p99")):
        match = re.search(rf"{re.escape(name)}\s+([\d.]+)(us|ms|s)", output)
        factor = {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]
        result[key] = float(match.group(1)) * factor
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    result["errors"] = int(errors.group(1)) if errors else 0
    result["socket_errors"] = socket_errors.group(1) if socket_errors else "none"
    result["requests"] = int(re.search(r"(\d+) requests in", output).group(1))
    return result


def measure(report: list[str], pages: list[tuple[str, str]]) -> None:
    if not shutil.which("wrk"):
        report += ["## Under load", "", "wrk is not installed (`apt-get install wrk`).", ""]
        return
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    django.setup()
    from django.templatetags.static import static

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        floors = [
            ("trivial Django view (framework floor)", "/__bench__/trivial/"),
            ("static file via WhiteNoise (server floor)", static("css/portal.css")),
        ]
        results = []
        # Downloads are generated per request (never cached) and take seconds: they are timed
        # in the server-time table above, not hammered by 50 connections here.
        pages = [(label, path) for label, path in pages if "/export." not in path]
        for label, path in floors + pages:
            urllib.request.urlopen(base + path, timeout=120).read()  # warm the cache
            results.append((label, path, wrk(base + path, SECONDS_PER_PAGE)))
        trivial_rps = results[0][2]["rps"]
        rows = [
            f"| {label} | {r['rps']:.0f} | {r['rps'] / trivial_rps:.2f} | {r['p50']:.1f} | "
            f"{r['p99']:.1f} | {r['errors']} |"
            for label, _, r in results
        ]
        script = Path(ROOT / "bench" / "work" / "mixed.lua")
        script.parent.mkdir(parents=True, exist_ok=True)
        paths = ", ".join(f'"{path}"' for _, path in pages)
        script.write_text(
            f"local paths = {{{paths}}}\nlocal i = 0\n"
            "request = function()\n  i = i + 1\n"
            "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
        )
        soak = wrk(base + "/", SOAK_SECONDS, script)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    workers = (os.cpu_count() or 1) * 2 + 1
    report += [
        "## Under load (gunicorn)",
        "",
        "The downloads are left out here: they are generated for each request (never cached) "
        "and their server time is in the table above.",
        "",
        f"gunicorn with {workers} workers (2 × cores + 1) of 4 threads, wrk with {CONNECTIONS} "
        f"connections for {SECONDS_PER_PAGE} s per page, from the same machine (so wrk takes "
        "CPU from the server too). Cached pages should reach at least a third of the trivial "
        "view's throughput.",
        "",
        "| page | requests/s | ratio to trivial view | p50 ms | p99 ms | non-2xx |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        f"**Load test:** all pages above in turn, {CONNECTIONS} connections for {SOAK_SECONDS} s: "
        f"{soak['requests']} requests, {soak['rps']:.0f} requests/s, p50 {soak['p50']:.1f} ms, "
        f"p99 {soak['p99']:.1f} ms, **{soak['errors']} server errors (non-2xx/3xx)**, "
        f"socket errors: {soak['socket_errors']}.",
        "",
    ]
