from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JvapConfig(AppConfig):
    name = "jvap"
    verbose_name = _("JVAP database")
