from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class MmdPortalConfig(AppConfig):
    """The project package as an app, for its management commands and shared templates."""

    name = "mmd_portal"
    verbose_name = "MMD Portal"


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the secretariat's site (mmd_portal.admin_site) as its site."""

    default = False  # listed by its path in INSTALLED_APPS; "mmd_portal" is MmdPortalConfig
    default_site = "mmd_portal.admin_site.SecretariatAdminSite"
