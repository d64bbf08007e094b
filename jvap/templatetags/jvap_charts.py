"""The dashboard's horizontal bar charts (design system: "charts") and the rows of their data
tables, written in Python.

The dashboard draws twelve charts and six tables, several hundred rows in all; through a
template include and its loop each row cost ~0.2 ms of variable lookups and filters, and
through `format_html` still ~0.05 ms: more than all the page's queries. The markup is the one
the design system describes: labels and values are HTML text, so they keep their real size at
every width and wrap rather than being cut; each bar is a decorative SVG rectangle whose width
is the row's share of the largest (no script, no inline style). The chart's data table and CSV
follow in dashboard.html.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.l10n import unlocalize
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.numbers import whole_number

register = template.Library()


@register.simple_tag
def bar_chart(chart, measure: str, chart_id: str, label: str) -> SafeString:
    """A chart's rows as bars of `measure` ("entries" or "funding"); `label` (the figure's
    caption) with the chart's title names the list for screen readers."""
    rows = []
    for row in chart.rows:
        if measure == "entries":
            percent, value = row.entries_percent, _entries(row.entries)
        else:
            percent, value = row.funding_percent, whole_number(row.funding)
        rows.append(
            f'<li class="bar-row"><span class="bar-label">{conditional_escape(row.label)}</span>'
            '<span class="bar-track" aria-hidden="true"><svg class="bar" width="100%" '
            f'height="16" focusable="false"><rect height="16" width="{unlocalize(percent)}%">'
            f'</rect></svg></span><span class="bar-value">{value}</span></li>'
        )
    return format_html(
        '<ol class="bar-chart bar-chart-{}" id="{}" aria-label="{} – {}">{}</ol>',
        measure,
        chart_id,
        label,
        chart.title,
        mark_safe("".join(rows)),
    )


@register.simple_tag
def chart_table_rows(chart) -> SafeString:
    """The rows of a chart's data table (jvap/includes/chart_table.html): its label, linked to
    the listing of its entries where it has one, its entries and its funding."""
    rows = []
    for row in chart.rows:
        label = conditional_escape(row.label)
        if row.url:
            label = f'<a href="{conditional_escape(row.url)}">{label}</a>'
        rows.append(
            f'<tr><th scope="row">{label}</th><td class="number">{_entries(row.entries)}</td>'
            f'<td class="number">{whole_number(row.funding)}</td></tr>'
        )
    return mark_safe("\n".join(rows))


def _entries(count: int | None) -> str:
    """The count as the templates write an integer (`localize`: the portal groups no
    thousands in plain numbers, so its digits); "–" for none."""
    if count is None:
        return "–"
    return localize(count) if settings.USE_THOUSAND_SEPARATOR else str(count)
