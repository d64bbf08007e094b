"""The options of the filter form's facets (includes/filter_form.html), written in Python.

A listing's form offers a hundred options or more (every country with entries, every
partner); drawn by the template's loop, each cost ~0.1 ms of variable lookups, and through
`format_html` still ~0.04 ms: a fifth of an uncached JVAP page. The markup is the one the
template drew: a checkbox with its label, or an `<option>`, each followed by how many rows it
would show unless the filters are invalid. Every value and label is escaped here.
"""

from __future__ import annotations

from django import forms, template
from django.forms.models import ModelChoiceIterator
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django_filters.fields import ModelChoiceIterator as FilterModelChoiceIterator

register = template.Library()


@register.simple_tag
def facet_checkboxes(item, has_errors: bool) -> SafeString:
    """The facet's options as checkboxes, one per line."""
    name = conditional_escape(item.name)
    lines = []
    for number, option in enumerate(item.options, start=1):
        field_id = f"filter-{name}-{number}"
        checked = " checked" if option.selected else ""
        count = "" if has_errors else f' <span class="count">({localize(option.count)})</span>'
        lines.append(
            f'<div class="check"><input type="checkbox" id="{field_id}" name="{name}" '
            f'value="{conditional_escape(option.value)}"{checked}> <label for="{field_id}">'
            f"{conditional_escape(option.label)}{count}</label></div>"
        )
    return mark_safe("\n".join(lines))


@register.simple_tag
def facet_select_options(item, has_errors: bool) -> SafeString:
    """The facet's options as the `<option>`s of its select (after "All")."""
    options = []
    for option in item.options:
        selected = " selected" if option.selected else ""
        count = "" if has_errors else f" ({localize(option.count)})"
        options.append(
            f'<option value="{conditional_escape(option.value)}"{selected}>'
            f"{conditional_escape(option.label)}{count}</option>"
        )
    return mark_safe("".join(options))


@register.simple_tag
def select_field(bound_field) -> SafeString:
    """A filter's own field as Django draws it (`{{ field }}`); a single-choice select written
    here with Django's own markup (`ChoiceWidget.optgroups`, `Select`'s templates): through the
    widget templates, each option cost an include (a call for proposals, a dialogue, a
    country... ~0.3 ms each), and building Django's option dictionaries still a fifth of the
    grants page."""
    widget = bound_field.field.widget
    if (
        not isinstance(widget, forms.Select)
        or widget.allow_multiple_selected
        or widget.option_inherits_attrs
    ):
        return bound_field.as_widget()
    attrs = bound_field.build_widget_attrs({}, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    attrs = widget.build_attrs(widget.attrs, attrs)
    value = widget.format_value(bound_field.value())
    parts = [f'<select name="{conditional_escape(bound_field.html_name)}"{_attributes(attrs)}>']
    has_selected = False
    # Each option is followed by a line break, as the end of Django's option template adds.
    for option_value, option_label in _choices(widget):
        if isinstance(option_label, (list, tuple)):
            group_name, options = option_value, option_label
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        else:
            group_name, options = (
                None,
                [("" if option_value is None else option_value, option_label)],
            )
        for subvalue, sublabel in options:
            selected = not has_selected and str(subvalue) in value
            has_selected |= selected
            parts.append(
                f'\n  <option value="{conditional_escape(str(subvalue))}"'
                f"{' selected' if selected else ''}>{conditional_escape(sublabel)}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


def _choices(widget):
    """The widget's choices; a model's rows read in one plain query (Django's iterator reads
    them through a server-side cursor on PostgreSQL: three more round trips a select)."""
    choices = widget.choices
    if type(choices) not in (ModelChoiceIterator, FilterModelChoiceIterator):
        return choices
    field = choices.field
    head = []
    if field.empty_label is not None:
        head.append(("", field.empty_label))
    if getattr(field, "null_label", None) is not None:
        head.append((field.null_value, field.null_label))
    return head + [choices.choice(row) for row in choices.queryset.all()]


def _attributes(attrs: dict) -> str:
    """Django's widgets/attrs.html: ` name="value"`, a bare ` name` for True, none for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )
