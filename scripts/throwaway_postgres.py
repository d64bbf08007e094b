"""Run a command against a throwaway PostgreSQL server.

    python scripts/throwaway_postgres.py -- pytest -q

Creates a cluster with the machine's `initdb` in a temporary folder, starts it with `pg_ctl`
on a free loopback port, runs the command with DATABASE_URL pointing at it, then stops the
server and removes the folder, whatever the command's outcome. `initdb` refuses to run as
root, so as root the server runs as the `postgres` system user. Used by `make test` and
`make bench`; no Docker.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

DATABASE_NAME = "mmd_portal"


def fail(message: str) -> None:
    print(f"throwaway_postgres: {message}", file=sys.stderr)
    raise SystemExit(2)


def find_bindir() -> Path:
    """The folder holding initdb and pg_ctl, installing PostgreSQL when it is missing."""
    for attempt in range(2):
        candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
        on_path = shutil.which("initdb")
        if on_path:
            candidates.insert(0, str(Path(os.path.realpath(on_path)).parent))
        for candidate in candidates:
            if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
                return Path(candidate)
        if attempt == 0:
            install_postgresql()
    fail("PostgreSQL's initdb and pg_ctl were not found after installing the 'postgresql' package.")
    raise AssertionError  # unreachable


def install_postgresql() -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        fail(
            "PostgreSQL server binaries (initdb, pg_ctl) are missing. Install them, e.g. "
            "'sudo apt-get install -y postgresql', and run again."
        )
    print("throwaway_postgres: installing PostgreSQL (apt-get install -y postgresql)...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
    result = subprocess.run(
        ["apt-get", "install", "-y", "-qq", "postgresql", "postgresql-contrib"], env=env
    )
    if result.returncode != 0:
        fail("'apt-get install -y postgresql' failed; see its output above.")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_server_user(command: list[str]) -> list[str]:
    """Prefix a command so that it runs as `postgres` when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def run_quietly(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        fail(f"{what} failed:\n{result.stdout}\n{result.stderr}")


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        fail("usage: throwaway_postgres.py -- COMMAND [ARGS...]")

    bindir = find_bindir()
    workdir = Path(tempfile.mkdtemp(prefix="mmd-pg-"))
    data, sockets, log = workdir / "data", workdir / "sockets", workdir / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
        shutil.chown(sockets, "postgres", "postgres")
    port = free_port()
    started = False
    try:
        run_quietly(
            as_server_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            "initdb",
        )
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run_quietly(
            as_server_user(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            "pg_ctl start",
        )
        started = True
        run_quietly(
            as_server_user(
                [
                    str(bindir / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    DATABASE_NAME,
                ]
            ),
            "createdb",
        )
        version = subprocess.run(
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.strip()
        print(f"throwaway_postgres: {version} running on 127.0.0.1:{port} in {workdir}", flush=True)
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/{DATABASE_NAME}",
            "MMD_THROWAWAY_POSTGRES": "1",
        }
        return subprocess.run(argv, env=env).returncode
    finally:
        if started:
            subprocess.run(
                as_server_user(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
                ),
                capture_output=True,
            )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
