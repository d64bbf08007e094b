from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogues")

    def ready(self):
        from .caching import on_portal_model_change
        from .roles import grant_role_permissions

        post_migrate.connect(grant_role_permissions, dispatch_uid="mmd_grant_role_permissions")
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(on_portal_model_change, dispatch_uid=f"mmd_cache_{id(signal)}")
