from django.apps import AppConfig


class MmdPortalConfig(AppConfig):
    """The project package as an app, for its management commands and shared templates."""

    name = "mmd_portal"
    verbose_name = "MMD Portal"

    def ready(self):
        from django.conf import settings

        from core.caching import connect_data_version

        # A write to any of the portal's apps changes what the public pages show.
        connect_data_version(settings.PORTAL_APPS)
