"""A task for the end-to-end worker test (a module the worker process can import)."""

from django_tasks import task


@task()
def add(first: int, second: int) -> int:
    return first + second
