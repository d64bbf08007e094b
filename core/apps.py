from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Platform code shared by the portal's apps (listings, uploads, spreadsheets, caching)."""

    name = "core"
    verbose_name = "Core"
