"""Readable, unique slugs made by the model itself, whatever creates the record.

A record reaches the database through an admin form, an admin inline that does not show the
slug, a spreadsheet import, the shell or a reference loader. Each of these used to be trusted to
fill the slug, and an inline that did not left an empty one, which broke every page linking to
the record. So the model fills an empty slug on save (`GeneratedSlugMixin`), from its readable
fields, transliterated to ASCII ("Réunion à Dakar" gives `reunion-a-dakar`) and made unique
with a numbered suffix (`reunion-a-dakar-2`) within the field's `max_length`.

Paths that skip `save()` (`bulk_create`, `loaddata`, raw SQL) must give their own slugs; data
migrations call `unique_slug` directly, since historical models do not carry the mixin.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import models
from django.utils.text import slugify

# Room kept for a clash suffix when looking up the slugs a candidate may clash with.
SUFFIX_ROOM = len("-999999999")


def unique_slug(
    model: type[models.Model],
    text: str,
    *,
    field_name: str = "slug",
    reserved: Collection[str] = (),
    exclude_pk=None,
) -> str:
    """A slug of the text that no other row of the model holds and that is not reserved.

    The text is slugified with ASCII folding; when nothing readable is left (a title in Arabic
    script, say) the model's name is used. Clashes get `-2`, `-3`... and the result always
    fits the field's `max_length`, the base being cut to make room for the suffix.
    """
    max_length = model._meta.get_field(field_name).max_length
    base = slugify(text).strip("-") or slugify(model._meta.model_name)
    base = base[:max_length].strip("-")
    # One query for every slug a candidate could clash with, cut bases included.
    prefix = base[: max(1, max_length - SUFFIX_ROOM)]
    rows = model._base_manager.filter(**{f"{field_name}__startswith": prefix})
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    taken = set(rows.values_list(field_name, flat=True)) | set(reserved)
    candidate, number = base, 2
    while candidate in taken:
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].strip("-") + suffix
        number += 1
    return candidate


def first_text(record: models.Model, field_names: Collection[str]) -> str:
    """The first of the record's fields that is filled, as text ("" when none is)."""
    return next((str(value) for name in field_names if (value := getattr(record, name))), "")


class GeneratedSlugMixin:
    """Fills an empty `slug` on save from the first non-empty of `slug_sources`.

    Put it before `models.Model` in the bases. A slug an editor typed is kept as it is (the
    field's unique constraint still refuses a duplicate); only an empty one is generated, so a
    page address never changes behind the editor's back. Declare the slug field with
    `blank=True` so that admin forms and inlines accept it empty.
    """

    slug_sources: tuple[str, ...] = ("title",)
    reserved_slugs: Collection[str] = frozenset()

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.generated_slug()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "slug"}
        super().save(*args, **kwargs)

    def generated_slug(self) -> str:
        """A new unique slug from the record's readable fields."""
        text = first_text(self, self.slug_sources)
        return unique_slug(type(self), text, reserved=self.reserved_slugs, exclude_pk=self.pk)


def fill_empty_slugs(
    model: type[models.Model], sources: tuple[str, ...], *, reserved: Collection[str] = ()
) -> int:
    """Give every row of the model with an empty slug a generated one; returns how many.

    For data migrations, whose historical models have the fields but not the mixin.
    """
    repaired = 0
    for row in model._base_manager.filter(slug="").order_by("pk"):
        slug = unique_slug(model, first_text(row, sources), reserved=reserved, exclude_pk=row.pk)
        model._base_manager.filter(pk=row.pk).update(slug=slug)
        repaired += 1
    return repaired
