from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    """Platform code shared by the portal's apps (listings, uploads, spreadsheets, caching)."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from .collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="core.collation")
