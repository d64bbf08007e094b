"""What the project package keeps: derived data only (the apps own the portal's records)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HomeFigures(models.Model):
    """The numbers behind the home page's key figures and its map (the JVAP ones are
    `jvap.PublicFigures`'), counted by a background task after each change of the data
    (`mmd_portal.figures.refresh`), so that no visitor waits for them.

    Some of them depend on the day (the meetings held so far, the memberships in force), so a
    row is valid on the day it was counted (`counted_on`) only; the page counts them itself on
    another day, and until a refresh has run. One row.
    """

    derived_data = True  # core.derived: never backed up or edited

    counted_on = models.DateField()
    data_version = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    counts = models.JSONField()

    class Meta:
        verbose_name = _("precomputed home page figures")
        verbose_name_plural = _("precomputed home page figures")

    def __str__(self) -> str:
        return f"{self.counted_on} ({self.computed_at:%Y-%m-%d %H:%M})"
