from django.apps import AppConfig


class MmdPortalConfig(AppConfig):
    """The project package as an app, for its management commands and shared templates."""

    name = "mmd_portal"
    verbose_name = "MMD Portal"
