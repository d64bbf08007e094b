from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grant Facility")

    def ready(self):
        from core import page_sections

        from . import sections

        page_sections.register("organisation", sections.organisation_grants_section)
        page_sections.register("country", sections.country_grants_section)
        page_sections.register("dialogue", sections.dialogue_grants_section)
