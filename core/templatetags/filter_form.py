"""The options of the filter form's facets (includes/filter_form.html), written in Python.

A listing's form offers a hundred options or more (every country with entries, every
partner); drawn by the template's loop, each cost ~0.1 ms of variable lookups, and through
`format_html` still ~0.04 ms: a fifth of an uncached JVAP page. The markup is the one the
template drew: a checkbox with its label, or an `<option>`, each followed by how many rows it
would show unless the filters are invalid. Every value and label is escaped here.
"""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

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
