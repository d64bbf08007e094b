"""Choice labels looked up in a table made once per field.

Django's `get_<field>_display()` builds a dictionary of the field's choices on every call,
hashing each translatable label, which translates it: a meeting's type among ten types cost
ten translations, and a page of 30 meetings ~600 of them (a fifth of its rendering). The
table here is made once per field with fixed choices (its keys are the stored values; its
labels stay lazy and are translated once, when shown).
"""

from __future__ import annotations

from django.utils.encoding import force_str


class ChoiceLabelsMixin:
    """For models: `get_<field>_display()` as Django gives it, without rebuilding the choices'
    dictionary on each call."""

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        if not isinstance(field.choices, list):
            # Choices made on each use (django-countries' names, already translated).
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        labels = field.__dict__.get("_choice_labels")
        if labels is None:
            labels = field.__dict__["_choice_labels"] = dict(field.flatchoices)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list in a JSON field): Django's own way
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)
