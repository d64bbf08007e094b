"""The dashboard's horizontal bar charts (design system: "charts"), written in Python.

The dashboard draws twelve of them, a few hundred rows in all; through a template include
and its loop each row cost ~0.2 ms of variable lookups and filters, more than all the page's
queries. The markup is the one the design system describes: labels and values are HTML text,
so they keep their real size at every width and wrap rather than being cut; each bar is a
decorative SVG rectangle whose width is the row's share of the largest (no script, no inline
style). The chart's data table and CSV follow in dashboard.html.
"""

from __future__ import annotations

from django import template
from django.templatetags.l10n import unlocalize
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join

from core.numbers import whole_number

register = template.Library()

ROW = (
    '<li class="bar-row"><span class="bar-label">{}</span>'
    '<span class="bar-track" aria-hidden="true"><svg class="bar" width="100%" height="16" '
    'focusable="false"><rect height="16" width="{}%"></rect></svg></span>'
    '<span class="bar-value">{}</span></li>'
)


@register.simple_tag
def bar_chart(chart, measure: str, chart_id: str, label: str) -> str:
    """A chart's rows as bars of `measure` ("entries" or "funding"); `label` (the figure's
    caption) with the chart's title names the list for screen readers."""
    if measure == "entries":
        cells = (
            (row.label, unlocalize(row.entries_percent), _entries(row.entries))
            for row in chart.rows
        )
    else:
        cells = (
            (row.label, unlocalize(row.funding_percent), whole_number(row.funding))
            for row in chart.rows
        )
    return format_html(
        '<ol class="bar-chart bar-chart-{}" id="{}" aria-label="{} – {}">{}</ol>',
        measure,
        chart_id,
        label,
        chart.title,
        format_html_join("", ROW, cells),
    )


@register.simple_tag
def chart_table_rows(chart) -> str:
    """The rows of a chart's data table (jvap/includes/chart_table.html): its label, linked to
    the listing of its entries where it has one, its entries and its funding."""
    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td class="number">{}</td><td class="number">{}</td></tr>',
        (
            (
                format_html('<a href="{}">{}</a>', row.url, row.label) if row.url else row.label,
                _entries(row.entries),
                whole_number(row.funding),
            )
            for row in chart.rows
        ),
    )


def _entries(count: int | None) -> str:
    return "–" if count is None else localize(count)
