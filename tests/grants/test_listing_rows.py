"""The grants listing's rows and the grants sections of dialogue and country pages, written
in Python (`{% grant_rows %}`, `{% grant_link_items %}`), give the markup the templates drew:
with and without a lead applicant, its country, countries of implementation, an amount and
dates, characters to escape, in English and in French."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from grants.models import Grant
from grants.sections import country_grants_section, dialogue_grants_section
from tests.dialogues.factories import DialogueFactory
from tests.grants.factories import CO, LEAD, GrantFactory, organisation

# grants/includes/grant_links.html, as it was.
LINKS_AS_THE_TEMPLATE_DREW_THEM = """{% load i18n grants_tags %}
<ul class="grant-links">
  {% for grant in grants %}
  <li><a href="{{ grant.get_absolute_url }}">{{ grant|localized:"title" }}</a>{% with lead=grant.lead_member %}{% if lead %} – {% translate "led by" %} {{ lead.organisation|localized:"name" }}{% endif %}{% endwith %} ({{ grant.start|date:"Y" }}–{{ grant.end|date:"Y" }})</li>
  {% endfor %}
</ul>
<p><a href="{% url 'grants:grant_list' %}?{{ more_query }}">{% translate "See these grants in the Grant Facility listing" %}</a></p>
"""  # noqa: E501 (the template's own lines)
# grants/includes/grant_row.html, included once a row, as it was.
ROW_AS_THE_TEMPLATE_DREW_IT = """{% load i18n grants_tags portal %}
<li class="grant-row">
  <h3><a href="{{ grant.get_absolute_url }}">{{ grant|localized:"title" }}</a></h3>
  <p class="grant-meta">
    <span>{{ grant.reference }}</span> ·
    <span>{{ grant.get_status_display }}</span> ·
    <span>{{ grant.amount_eur|euros }}</span> ·
    <span>{{ grant.start|date:"F Y" }} – {{ grant.end|date:"F Y" }}</span>
  </p>
  {% with lead=grant.lead_member %}{% if lead %}
  <p>{% translate "Lead applicant:" %} {{ lead.organisation|localized:"name" }}{% if lead.organisation.country %} ({{ lead.organisation.country|country_name }}){% endif %}</p>
  {% endif %}{% endwith %}
  {% if grant.countries.all %}<p>{% translate "Countries:" %} {% for c in grant.countries.all %}{{ c.country|country_name }}{% if not forloop.last %}, {% endif %}{% endfor %}</p>{% endif %}
</li>
"""  # noqa: E501 (the template's own lines)


@pytest.fixture
def grants(db):
    GrantFactory(
        title='Jobs & "skills" <for> youth',
        title_fr="Emplois des jeunes",
        countries=["SN", "ML", "CI"],
        members=[
            (organisation(name="Lead <NGO>", name_fr="ONG pilote", country="SN"), LEAD),
            (organisation(country="ML"), CO),
        ],
        amount_eur=Decimal("1500000.50"),
    )
    GrantFactory(title="No lead, no countries", members=[(organisation(country=""), CO)])
    GrantFactory(
        title="Lead without a country",
        members=[(organisation(country=""), LEAD)],
        countries=["FR"],
        status=Grant.Status.COMPLETED,
        start=datetime.date(2019, 12, 31),
        end=datetime.date(2021, 1, 31),
    )
    return list(Grant.objects.published().for_listing().order_by("pk"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_grant_rows_are_the_markup_the_row_template_drew(grants, language):
    context = Context({"grants": grants})
    with translation.override(language):
        expected = Template(
            "{% for grant in grants %}" + ROW_AS_THE_TEMPLATE_DREW_IT + "{% endfor %}"
        ).render(context)
        written = Template("{% load grants_tags %}{% grant_rows grants %}").render(context)
    assert written == expected
    assert "&lt;NGO&gt;" in written or "ONG pilote" in written  # the cases are there


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_listing_pages_rows_are_the_rows_of_the_full_prefetch(grants, language):
    """The page reads its rows with `for_rows()` (the lead applicant and the countries as
    lists); the markup is the one of the rows read with every relation (`for_listing()`)."""
    rows = list(Grant.objects.published().for_rows().order_by("pk"))
    with translation.override(language):
        page = Template("{% load grants_tags %}{% grant_rows grants %}")
        assert page.render(Context({"grants": rows})) == page.render(Context({"grants": grants}))
    assert [grant.lead_member() for grant in rows] == [grant.lead_member() for grant in grants]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_grants_sections_are_the_markup_the_template_drew(grants, language):
    dialogue = DialogueFactory()
    for grant in grants:
        grant.dialogues.add(dialogue)
    GrantFactory(title="Unpublished", is_published=False, countries=["SN"], dialogues=[dialogue])
    for section, condition in (
        (dialogue_grants_section(dialogue), {"dialogues": dialogue}),
        (country_grants_section("SN"), {"countries__country": "SN"}),
    ):
        shown = Grant.objects.published().filter(**condition).for_listing()
        with translation.override(language):
            written = Template('{% include "grants/includes/grant_links.html" %}').render(
                Context({"section": section})  # as the page includes it
            )
            expected = Template(LINKS_AS_THE_TEMPLATE_DREW_THEM).render(
                Context(
                    {
                        "grants": list(shown.order_by("-start", "title")),
                        "more_query": section.context["more_query"],
                    }
                )
            )
        assert written == expected
        assert "Unpublished" not in written


def test_a_grants_section_reads_its_grants_and_their_leads_in_one_query(
    grants, django_assert_num_queries
):
    with django_assert_num_queries(1):
        section = country_grants_section("SN")
    assert [grant.lead_name for grant in section.context["grants"]] == ["Lead <NGO>"]
