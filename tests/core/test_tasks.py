"""Background tasks: immediate in the tests, a real `db_worker` process end to end."""

import os
import re
import signal
import sys
import time

import pytest
from django.test import override_settings
from django_tasks import TaskResultStatus

from core.management.commands.serve import worker_command
from tests.core.worker_tasks import add
from tests.processes import free_port, start, stop, wait_until_serving

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_tasks_run_at_once_in_the_tests():
    result = add.enqueue(2, 3)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5


@pytest.mark.django_db(transaction=True)
def test_a_db_worker_process_runs_a_task_enqueued_in_the_test_database():
    worker = start([sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"])
    try:
        with override_settings(TASKS=DATABASE_TASKS):
            result = add.enqueue(20, 22)
            assert result.status == TaskResultStatus.READY
            deadline = time.time() + 60
            while not result.is_finished and time.time() < deadline:
                assert worker.poll() is None, worker.stdout.read().decode()
                time.sleep(0.2)
                result.refresh()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == 42
    finally:
        stop(worker)


def test_make_run_starts_the_worker_of_the_configured_backend():
    with override_settings(TASKS=DATABASE_TASKS):
        assert worker_command() == ["db_worker"]
    rq = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=rq):
        assert worker_command()[:3] == ["rqworker", "--job-class", "django_tasks_rq.Job"]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.django_db(transaction=True)
def test_serve_starts_the_web_server_and_the_worker_and_stops_both_together():
    port = free_port()
    serve = start([sys.executable, "manage.py", "serve", f"127.0.0.1:{port}"])
    try:
        first_line = serve.stdout.readline().decode()
        web_pid, worker_pid = (int(n) for n in re.findall(r"pid (\d+)", first_line))
        wait_until_serving(serve, f"http://127.0.0.1:{port}/health/", timeout=60)
        with override_settings(TASKS=DATABASE_TASKS):
            result = add.enqueue(1, 1)
            deadline = time.time() + 60
            while not result.is_finished and time.time() < deadline:
                time.sleep(0.2)
                result.refresh()
        assert result.return_value == 2
        assert _running(web_pid) and _running(worker_pid)
    finally:
        os.kill(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
    assert not _running(web_pid) and not _running(worker_pid)
