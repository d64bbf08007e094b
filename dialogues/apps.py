from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogues")

    def ready(self):
        from .roles import grant_role_permissions

        post_migrate.connect(grant_role_permissions, dispatch_uid="mmd_grant_role_permissions")
