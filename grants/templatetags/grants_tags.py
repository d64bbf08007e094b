"""Small template helpers of the grants pages, and the listing's rows written in Python."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core import country_names, dates
from core.addresses import address_of

register = template.Library()


@register.filter
def page_url(obj) -> str:
    """The object's page address, or "" while the page that shows it is not yet routed (the
    organisation and dialogue pages belong to the dialogues app)."""
    try:
        return obj.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


@register.filter
def euros(amount) -> str:
    """An amount in whole euros with thousands separators: "EUR 1,500,000"."""
    if amount is None or amount == "":
        return ""
    whole = Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"EUR {intcomma(int(whole))}"


@register.filter
def localized(obj, field_name: str) -> str:
    """The field in the visitor's language (`summary_fr` for French visitors when filled)."""
    return obj.localized(field_name)


def _month(date) -> str:
    """`{{ date|date:"F Y" }}`: "March 2024" in the visitor's language, "" for no date."""
    return dates.month_year(date) if date else ""


@register.simple_tag
def grant_rows(grants) -> SafeString:
    """The grants listing's rows: title linked, reference, status, amount, months, the lead
    applicant and the countries of implementation. Through the template (an include a row,
    a country's name and a date through filters) a page of 25 rows cost ~1.5 ms a row; the
    markup is the one grant_row.html drew, every value escaped here."""
    page_of = address_of("grants:grant_detail", "slug")
    name_of = country_names.namer()
    lead_label = conditional_escape(gettext("Lead applicant:"))
    countries_label = conditional_escape(gettext("Countries:"))
    rows = []
    for grant in grants:
        lead = grant.lead_member()
        lead_line = ""
        if lead:
            organisation = lead.organisation
            where = ""
            if organisation.country:
                where = f" ({conditional_escape(name_of(organisation.country.code))})"
            lead_line = (
                f"\n  <p>{lead_label} {conditional_escape(organisation.localized('name'))}"
                f"{where}</p>\n  "
            )
        codes = grant.country_codes()
        countries_line = ""
        if codes:
            names = ", ".join(conditional_escape(name_of(code)) for code in codes)
            countries_line = f"<p>{countries_label} {names}</p>"
        rows.append(
            '\n<li class="grant-row">\n'
            f'  <h3><a href="{page_of(conditional_escape(grant.slug))}">'
            f"{conditional_escape(grant.localized('title'))}</a></h3>\n"
            '  <p class="grant-meta">\n'
            f"    <span>{conditional_escape(grant.reference)}</span> ·\n"
            f"    <span>{conditional_escape(grant.get_status_display())}</span> ·\n"
            f"    <span>{conditional_escape(euros(grant.amount_eur))}</span> ·\n"
            f"    <span>{conditional_escape(_month(grant.start))} – "
            f"{conditional_escape(_month(grant.end))}</span>\n"
            "  </p>\n"
            f"  {lead_line}\n"
            f"  {countries_line}\n"
            "</li>\n"
        )
    return mark_safe("".join(rows))


@register.simple_tag
def grant_link_items(grants) -> SafeString:
    """The items of a page section's list of grants (grants/includes/grant_links.html): the
    title linked, the lead applicant (`lead_name`, `lead_name_fr` annotated on each grant by
    `grants.sections`) and the years. Through the template's loop a dialogue's 26 grants cost
    ~0.5 ms each; the markup is the one the loop drew, every value escaped here."""
    page_of = address_of("grants:grant_detail", "slug")
    led_by = conditional_escape(gettext("led by"))
    items = []
    for grant in grants:
        lead = grant.localized("lead_name")
        lead_text = f" – {led_by} {conditional_escape(lead)}" if lead else ""
        items.append(
            f'\n  <li><a href="{page_of(conditional_escape(grant.slug))}">'
            f"{conditional_escape(grant.localized('title'))}</a>{lead_text} "
            f"({conditional_escape(date_filter(grant.start, 'Y'))}–"
            f"{conditional_escape(date_filter(grant.end, 'Y'))})</li>\n  "
        )
    return mark_safe("".join(items))
