from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class JvapConfig(AppConfig):
    name = "jvap"
    verbose_name = _("JVAP database")

    def ready(self):
        from core import page_sections

        from .roles import grant_focal_point_permissions
        from .sections import country_section

        post_migrate.connect(
            grant_focal_point_permissions, dispatch_uid="jvap_grant_focal_point_permissions"
        )

        page_sections.register("country", country_section)
