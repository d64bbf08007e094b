from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "dialogues"
    verbose_name = _("Dialogues")

    def ready(self):
        from .roles import grant_role_permissions

        post_migrate.connect(grant_role_permissions, dispatch_uid="mmd_grant_role_permissions")

        # The dialogues' meeting counts by type are counted again after each change.
        from core.caching import data_changed

        from .figures import schedule_refresh

        data_changed.connect(schedule_refresh, dispatch_uid="dialogues_meeting_type_counts")
