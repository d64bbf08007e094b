from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class MmdPortalConfig(AppConfig):
    """The project package as an app, for its management commands and shared templates."""

    name = "mmd_portal"
    verbose_name = "MMD Portal"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_migrate

        from core.bulk_downloads import schedule_full_downloads
        from core.caching import bump_data_version, connect_data_version, data_changed

        # A write to any of the portal's apps changes what the public pages show, and the full
        # downloads are built again (settings.FULL_DOWNLOADS).
        connect_data_version(settings.PORTAL_APPS)
        # A migration (or a restored database being migrated) may change anything.
        post_migrate.connect(bump_data_version, dispatch_uid="mmd_data_version_migrate")
        data_changed.connect(schedule_full_downloads, dispatch_uid="mmd_full_downloads")
        # The home page's figures and map are counted again after each change.
        from .figures import schedule_refresh

        data_changed.connect(schedule_refresh, dispatch_uid="mmd_home_figures")


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the secretariat's site (mmd_portal.admin_site) as its site."""

    default = False  # listed by its path in INSTALLED_APPS; "mmd_portal" is MmdPortalConfig
    default_site = "mmd_portal.admin_site.SecretariatAdminSite"
