"""Submit Django admin pages as a browser does, for tests that go through the admin's forms.

`browser_form_data` reads the rendered change form (its inputs, selected options, checked
boxes, text areas, and the inline formsets' management forms) the way a browser collects what
it sends. `add_inline_row` does what the admin's "Add another" button does: it copies the
inline's empty row (`__prefix__`) to the next index and raises TOTAL_FORMS. `fill_required`
gives every required field that is still empty a valid value made from its form field's type,
so that models added later are covered without a test knowing their fields.
"""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Callable
from html.parser import HTMLParser

from django import forms
from django.forms.models import InlineForeignKeyField
from PIL import Image

# The data a form posts: each name with its values (several for a multiple select).
FormData = dict[str, list[str]]

WALK_DATE = datetime.date(2024, 3, 11)
_numbers = itertools.count(1)


class _FormReader(HTMLParser):
    """Collects the successful controls of one <form>, as HTML's form submission defines."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: FormData = {}
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        if not self.inside or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            self._input(name, attributes)
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attributes, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attributes.get("value"), "selected": "selected" in attributes}
            self._option["text"] = ""
            self._select["options"].append(self._option)
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def _input(self, name: str, attributes: dict) -> None:
        kind = attributes.get("type", "text")
        if kind in ("submit", "button", "image", "reset", "file"):
            return
        if kind in ("checkbox", "radio") and "checked" not in attributes:
            return
        default = "on" if kind in ("checkbox", "radio") else ""
        self.data.setdefault(name, []).append(attributes.get("value", default) or default)

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline that browsers drop after <textarea>.
            text = self._textarea["text"].removeprefix("\n")
            self.data.setdefault(self._textarea["name"], []).append(text)
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self._close_select()

    def _close_select(self) -> None:
        options = self._select["options"]
        chosen = [option for option in options if option["selected"]]
        if not chosen and options and not self._select["multiple"]:
            chosen = options[:1]  # a single select sends its first option when none is chosen
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self.data.setdefault(self._select["name"], []).append(value)
        self._select = None


def browser_form_data(response) -> FormData:
    """What a browser would post from an admin change or add page, unchanged."""
    opts = response.context["opts"]
    reader = _FormReader(f"{opts.model_name}_form")
    reader.feed(response.content.decode())
    return reader.data


def add_inline_row(data: FormData, formset) -> str:
    """Add one row to an inline formset as "Add another" does; returns the row's prefix."""
    index = int(data[f"{formset.prefix}-TOTAL_FORMS"][0])
    template = f"{formset.prefix}-__prefix__-"
    row = f"{formset.prefix}-{index}-"
    for name, values in list(data.items()):
        if name.startswith(template):
            data[row + name.removeprefix(template)] = list(values)
    data[f"{formset.prefix}-TOTAL_FORMS"] = [str(index + 1)]
    return row.removesuffix("-")


def fill_required(
    data: FormData,
    form: forms.BaseForm,
    prefix: str,
    *,
    choose: Callable[[str, forms.ModelChoiceField], object],
    given: dict[str, str | list[str] | Callable[[], str]],
    files: dict,
) -> None:
    """Give each required field of the form that the data leaves empty a valid value.

    `prefix` is the row's prefix ("" for the main form); `choose(name, field)` returns a record
    for a required relation; `given` holds hand-given values (or functions making them) by
    field name, which win over the generated ones, required or not; files go into `files`.
    Slugs are left empty on purpose: the model makes them.
    """
    for name, field in form.fields.items():
        key = f"{prefix}-{name}" if prefix else name
        if name in given:
            value = given[name]() if callable(given[name]) else given[name]
            data[key] = value if isinstance(value, list) else [value]
            continue
        if not field.required or isinstance(field, InlineForeignKeyField):
            continue
        if isinstance(field, forms.MultiValueField):
            for index, part in enumerate(field.fields):
                if not any(data.get(f"{key}_{index}", [])):
                    data[f"{key}_{index}"] = [_value_for(name, part, choose)]
            continue
        if isinstance(field, forms.FileField):
            if key not in files:
                files[key] = _upload_for(field)
            continue
        if not any(data.get(key, [])):
            value = _value_for(name, field, choose)
            data[key] = value if isinstance(value, list) else [value]


# Field type -> a valid posted value (given a running number), in the order to test them.
_SIMPLE_VALUES = (
    (forms.BooleanField, lambda field, number: "on"),
    (forms.DateTimeField, lambda field, number: f"{WALK_DATE.isoformat()} 10:00"),
    (forms.DateField, lambda field, number: WALK_DATE.isoformat()),
    (forms.TimeField, lambda field, number: "10:00"),
    (
        forms.IntegerField | forms.DecimalField | forms.FloatField,
        lambda field, number: str(max(field.min_value or 1, 1)),
    ),
    (forms.EmailField, lambda field, number: f"walk{number}@example.org"),
    (forms.URLField, lambda field, number: f"https://example.org/walk-{number}"),
    (forms.SlugField, lambda field, number: f"walk-{number}"),
    (forms.JSONField, lambda field, number: "{}"),
)


def _value_for(name: str, field: forms.Field, choose) -> str | list[str]:
    """A valid posted value for an empty required field, by the field's type."""
    number = next(_numbers)
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(choose(name, field).pk)]
    if isinstance(field, forms.ModelChoiceField):
        return str(choose(name, field).pk)
    if isinstance(field, forms.MultipleChoiceField):
        return [_first_choice(field)]
    if isinstance(field, forms.ChoiceField):
        return _first_choice(field)
    for field_types, value in _SIMPLE_VALUES:
        if isinstance(field, field_types):
            return value(field, number)
    text = f"Réunion à Dakar {number}"
    return text[: field.max_length] if getattr(field, "max_length", None) else text


def _first_choice(field: forms.ChoiceField) -> str:
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            value = label[0][0]
        if value not in ("", None):
            return str(value)
    raise AssertionError(f"{field!r} offers no choice")


def _upload_for(field: forms.FileField):
    """A small valid file: a PNG for image fields, a PDF for the others."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    if isinstance(field, forms.ImageField):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), "#2a6f97").save(buffer, format="PNG")
        return SimpleUploadedFile("walk.png", buffer.getvalue(), content_type="image/png")
    return SimpleUploadedFile("walk.pdf", MINIMAL_PDF, content_type="application/pdf")


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
