from django.apps import AppConfig


class MmdPortalConfig(AppConfig):
    """The project package as an app, for its management commands and shared templates."""

    name = "mmd_portal"
    verbose_name = "MMD Portal"

    def ready(self):
        from core.caching import connect_data_version

        from .middleware import DATA_APPS

        connect_data_version(DATA_APPS)
