"""Health checks of the load balancer's /health/ page (django-health-check) that the package
does not ship: the task backend."""

from __future__ import annotations

import dataclasses

from django.db import DatabaseError
from django_tasks import task_backends
from django_tasks.exceptions import InvalidTaskBackendError
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


class HealthView(HealthCheckView):
    """django-health-check's view, answering browsers in plain text too: its HTML page has
    inline styles that the portal's Content-Security-Policy blocks."""

    def render_to_response(self, context, **response_kwargs):
        return self.render_to_response_text(response_kwargs.get("status", 200))


@dataclasses.dataclass
class TaskBackend(HealthCheck):
    """The task backend can be loaded and its store answers (the task table, or Redis)."""

    alias: str = "default"

    def run(self) -> None:
        try:
            backend = task_backends[self.alias]
        except InvalidTaskBackendError as error:
            raise ServiceUnavailable("Task backend is not configured") from error
        backend_path = f"{type(backend).__module__}.{type(backend).__qualname__}"
        if backend_path.startswith("django_tasks_db."):
            self._check_task_table()
        elif backend_path.startswith("django_tasks_rq."):
            self._check_redis(backend)

    @staticmethod
    def _check_task_table() -> None:
        from django_tasks_db.models import DBTaskResult

        try:
            DBTaskResult.objects.ready().exists()
        except DatabaseError as error:
            raise ServiceUnavailable("Task table cannot be read") from error

    @staticmethod
    def _check_redis(backend) -> None:
        import django_rq
        from redis.exceptions import RedisError

        try:
            for queue_name in backend.queues:
                django_rq.get_connection(queue_name).ping()
        except RedisError as error:
            raise ServiceUnavailable("Task queue (Redis) does not answer") from error
