"""`get_<field>_display()` of the portal's models gives Django's own label, in both languages."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from core.choices import ChoiceLabelsMixin

MODELS = [model for model in apps.get_models() if issubclass(model, ChoiceLabelsMixin)]


def test_the_models_shown_in_listings_use_the_table_of_labels():
    names = {model.__name__ for model in MODELS}
    assert {"Meeting", "Document", "Organisation", "Grant", "JvapEntry"} <= names


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_every_choice_and_an_unknown_value_are_labelled_as_django_labels_them(model, language):
    fields = [field for field in model._meta.concrete_fields if field.choices]
    assert fields
    with translation.override(language):
        for field in fields:
            for value in [value for value, _label in field.flatchoices] + ["not-a-choice"]:
                instance = model(**{field.attname: value})
                display = getattr(instance, f"get_{field.name}_display")()
                assert display == models.Model._get_FIELD_display(instance, field)
                assert isinstance(display, str) or display is None
