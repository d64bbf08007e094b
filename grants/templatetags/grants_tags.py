"""Small template helpers of the grants pages."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import NoReverseMatch

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
