"""Template helpers of the public portal: the visitor's language version of content fields,
flags, the map of Africa and Europe, canonical and alternate-language addresses."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django_countries.fields import Country

from core import country_names
from core.addresses import address_of, address_of_in
from core.collation import sorted_by_name

register = template.Library()

MAP_STATIC_PATH = "maps/africa-europe.svg"


@register.filter
def localized(obj, field_name: str) -> str:
    """`{{ dialogue|localized:"summary" }}`: the French field on /fr/ when filled, else English."""
    if obj is None:
        return ""
    return obj.localized(field_name)


@register.filter
def lines(text: str) -> list[str]:
    """The non-empty lines of a text (objectives, principles: one per line)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def startswith(text, prefix) -> bool:
    return str(text or "").startswith(str(prefix or "\0"))


@register.filter
def country_name(code) -> str:
    """The state's name in the visitor's language."""
    if isinstance(code, Country):
        return country_names.country_name(code.code) if code.code else ""
    return country_names.country_name(code) if code else ""


@register.simple_tag
def flag(code) -> str:
    """The state's flag (django-countries' own images, served from static files), decorative:
    the state's name is always written next to it."""
    code = code.code if isinstance(code, Country) else str(code or "")
    if len(code) != 2 or not code.isalpha():
        return ""
    return _flag_image(code.lower())


@lru_cache(maxsize=512)
def _flag_image(code: str) -> str:
    """A flag's image: its static address (~0.1 ms to look up) is the same all along a
    process, and a page shows up to a hundred flags."""
    return format_html(
        '<img class="flag" src="{}" alt="" width="16" height="11">', static(f"flags/{code}.gif")
    )


@register.simple_tag(takes_context=True)
def country_link(context, code) -> str:
    """A state's flag and name linked to its page: what `{% flag code %} <a href="{% url
    'country_detail' code|lower %}">{{ code|country_name }}</a>` writes, with the page's
    address reversed once per template (a dialogue names up to 80 states, ~0.1 ms each)."""
    code = code.code if isinstance(code, Country) else str(code or "")
    page_of = address_of_in(context, "country_detail", "code")
    return format_html(
        '{} <a href="{}">{}</a>', flag(code), page_of(code.lower()), country_name(code)
    )


@receiver(setting_changed)
def _static_files_changed(setting, **kwargs):
    if setting in ("STATIC_URL", "STORAGES", "STATIC_ROOT"):
        _flag_image.cache_clear()


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's address without the page number (filtered listings keep their filters)."""
    request = context.get("request")
    if request is None:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    url = request.build_absolute_uri(request.path)
    return f"{url}?{query.urlencode()}" if query else url


@register.simple_tag(takes_context=True)
def language_url(context, language: str, absolute: bool = False) -> str:
    """The same page (and query) in another language: `/fr/...`, or unprefixed for English.

    The portal's paths are the same in both languages, so switching is swapping the prefix;
    this works on every page, a 404 page included.
    """
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    url = switch_language_prefix(path, language)
    return request.build_absolute_uri(url) if absolute and request is not None else url


def switch_language_prefix(path: str, language: str) -> str:
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE and (path == f"/{code}" or path.startswith(f"/{code}/")):
            path = path[len(code) + 1 :] or "/"
            break
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


@register.inclusion_tag("includes/country_map.html")
def country_map(classes: dict, legend, title: str, map_id: str = "map", layers=None):
    """The map of Africa and Europe with each state coloured by its class on this page.

    `classes` maps ISO codes to a CSS class (`member`, `observer`, `rabat`, `both`...),
    `legend` lists (class, label) pairs. `layers` (dicts with key, label, classes, legend, as
    `dialogues.maps.mmd_map_layers()` gives) replace them with several views of one map. The
    page carries only the list of coloured states, as links (the map's list alternative);
    the shapes are the static, cached map file that the script draws them on.
    """
    if layers is None:
        layers = [{"key": "main", "label": title, "classes": classes, "legend": legend}]
    country_page = address_of("country_detail", "code")
    return {
        "layers": [_map_layer(layer, country_page) for layer in layers],
        "title": title,
        "map_id": map_id,
        "map_file": MAP_STATIC_PATH,
    }


def _map_layer(layer: dict, country_page) -> dict:
    """The layer's groups of states, each with its states' links as list items: a map names
    up to 150 states, and written by the template's loop they cost ~15 ms a page. A state's
    code and name are text: escaped by `html.escape` (what `conditional_escape` gives for
    text, without its checks: four of them per state took ~2 ms a map)."""
    name_of = country_names.namer()
    key = conditional_escape(layer["key"])
    groups = []
    for css, label in layer["legend"]:
        codes = [code for code, value in layer["classes"].items() if value == css]
        if not codes:
            continue  # an empty group ("Observer (0)") would read as a fact
        states = sorted_by_name([(name_of(code), code) for code in codes], key=lambda s: s[0])
        label, css = conditional_escape(label), conditional_escape(css)
        items = []
        for name, code in states:
            code = escape(str(code))
            items.append(
                f'<li><a href="{country_page(code.lower())}" data-layer="{key}" '
                f'data-iso2="{code}" data-css="{css}" data-group="{label}">{escape(name)}</a></li>'
            )
        groups.append(
            {"css": css, "label": label, "count": len(states), "items": mark_safe("".join(items))}
        )
    return {"key": layer["key"], "label": layer["label"], "groups": groups}


def _code_of(item) -> str:
    """An ISO code from a code, a (code, name) pair, or a chart row with a `key`."""
    if isinstance(item, (tuple, list)):
        return str(item[0]).upper()
    return str(getattr(item, "key", item)).upper()


@register.inclusion_tag("includes/country_map.html")
def countries_map(items, label: str, title: str, map_id: str = "map"):
    """The shared map with one set of states coloured (e.g. a grant's countries of
    implementation); `items` are codes, (code, name) pairs or chart rows."""
    classes = {_code_of(item): "member" for item in items if _code_of(item)}
    return country_map(classes, [("member", label)], title, map_id)
