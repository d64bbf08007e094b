"""Send reads to PostgreSQL read replicas and writes to the primary, when replicas are set.

Enabled by DATABASE_REPLICA_URLS; without it, everything uses `default`. Reads inside a
request that has just written (e.g. confirm then view) may briefly lag on a replica, so the
JVAP upload flow reads from the primary (`using("default")`) where it must see its own writes.
"""

import random

from django.conf import settings


class PrimaryReplicaRouter:
    def _replicas(self) -> list[str]:
        return [alias for alias in settings.DATABASES if alias.startswith("replica")]

    def db_for_read(self, model, **hints):
        replicas = self._replicas()
        return random.choice(replicas) if replicas else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # primary and replicas hold the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
