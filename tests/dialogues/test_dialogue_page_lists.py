"""The lists of a dialogue's page written in Python (dialogues/templatetags/dialogue_page.py)
give the markup the template's loops drew, whatever the participant: states with start dates
known to the day, month or year or not at all, organisations with notes and French names,
co-chairs, a chair organisation, handovers at meetings, framework areas with their elements,
documents with and without a date, characters to escape, in English and in French."""

import datetime

import pytest
from django.template import Context, Template

from dialogues.models import Document, FrameworkElement, Membership
from tests.dialogues.factories import (
    ChairTermFactory,
    DialogueFactory,
    DocumentFactory,
    FrameworkElementFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    SteeringCommitteeSeatFactory,
    StrategicFrameworkFactory,
)

pytestmark = pytest.mark.django_db

# One chair term, as dialogues/includes/chair_term.html drew it before the tag.
CHAIR_TERM = (
    '<span class="meta">{% if term.last_day %}{{ term|as_known:"start" }} – '
    '{{ term|as_known:"last_day" }}{% else %}{% blocktranslate with date=term|as_known:"start" %}'
    "since {{ date }}{% endblocktranslate %}{% endif %}{% if term.handover_meeting %} · "
    '{% translate "handed over at" %} <a href="{{ term.handover_meeting.get_absolute_url }}">'
    '{{ term.handover_meeting|localized:"title" }}</a>{% endif %}</span>\n'
)
# The loops the tags replace, as dialogues/dialogue_detail.html wrote them.
LOOPS_AS_THE_TEMPLATE_DREW_THEM = {
    "members": '<ul class="state-list">{% for m in state_members %}<li>{% country_link m.country %}'
    '{% if m.start %} <span class="meta">{% blocktranslate with date=m|as_known:"start" %}'
    "since {{ date }}{% endblocktranslate %}</span>{% endif %}</li>{% endfor %}</ul>",
    "observers": '<ul class="state-list">{% for m in state_observers %}<li>'
    "{% country_link m.country %}</li>{% endfor %}</ul>",
    "organisations": '<ul class="inline-list">{% for m in organisation_members %}<li>'
    '<a href="{{ m.organisation.get_absolute_url }}">{{ m.organisation.name_with_acronym }}</a> '
    '<span class="meta">{{ m.get_role_display }}{% with note=m.localized_note %}{% if note %} · '
    "{{ note }}{% endif %}{% endwith %}</span></li>{% endfor %}</ul>",
    "current chair": "{% for term in chairs.current %}{% if term.country %}"
    '{% country_link term.country %}{% else %}<a href="{{ term.organisation.get_absolute_url }}">'
    "{{ term.organisation.name_with_acronym }}</a>{% endif %}{% if not forloop.last %}, "
    "{% endif %}{% endfor %}\n      {% with term=chairs.current.0 %}"
    + CHAIR_TERM
    + "{% endwith %}",
    "seats": '<ul class="state-list">{% for seat in seats %}<li>{% if seat.country %}'
    '{% country_link seat.country %}{% else %}<a href="{{ seat.organisation.get_absolute_url }}">'
    "{{ seat.organisation.name_with_acronym }}</a>{% endif %}{% with note=seat.localized_note %}"
    '{% if note %} <span class="meta">{{ note }}</span>{% endif %}{% endwith %}</li>{% endfor %}'
    "</ul>",
    "past chairs": '<ul class="past-chairs">{% for term in chairs.past %}<li>'
    "{{ term.participant_name }} " + CHAIR_TERM + "</li>{% endfor %}</ul>",
    "framework areas": "{% for framework in frameworks %}{% if framework.areas %}"
    '<ol class="framework-tree">'
    "{% for area in framework.areas %}<li><strong>{{ area.number }}</strong> "
    '{{ area|localized:"title" }}\n        {% if area.sub_elements %}<ol>'
    "{% for element in area.sub_elements %}<li><strong>{{ element.number }}</strong> "
    '{{ element|localized:"title" }}</li>{% endfor %}</ol>{% endif %}</li>{% endfor %}</ol>'
    "{% endif %}{% endfor %}",
    "documents": '<ul>{% for document in documents %}<li><a href="{{ document.get_absolute_url }}">'
    '{{ document|localized:"title" }}</a> <span class="meta">{{ document.get_kind_display }}'
    '{% if document.date %} · {{ document.date|date:"Y" }}{% endif %}</span></li>{% endfor %}'
    "</ul>",
}


@pytest.fixture
def dialogue(db):
    dialogue = DialogueFactory(slug="lists-process", name="Lists <Process>")
    on = datetime.date
    for code, start, precision in [
        ("SN", on(2006, 7, 10), "day"),
        ("CI", on(2008, 11, 1), "month"),  # Côte d'Ivoire: a name to escape
        ("MA", on(2006, 1, 1), "year"),
        ("FR", None, "day"),
    ]:
        MembershipFactory(dialogue=dialogue, country=code, start=start, start_precision=precision)
    MembershipFactory(dialogue=dialogue, country="DZ", role=Membership.Role.OBSERVER)
    MembershipFactory(dialogue=dialogue, country="EG", end=on(2014, 1, 1))  # no longer a member
    commission = OrganisationFactory(
        name="European Commission", name_fr="Commission européenne", acronym="EC", acronym_fr="CE"
    )
    ecowas = OrganisationFactory(name="West <African> & Co", acronym="ECOWAS", acronym_fr="")
    MembershipFactory(
        dialogue=dialogue,
        country="",
        organisation=commission,
        note="Partner <organisation>",
        note_fr="Organisation partenaire",
    )
    MembershipFactory(
        dialogue=dialogue, country="", organisation=ecowas, role=Membership.Role.OBSERVER
    )
    SteeringCommitteeSeatFactory(
        dialogue=dialogue, country="BF", note="holds Mali's seat", note_fr="siège du Mali"
    )
    SteeringCommitteeSeatFactory(dialogue=dialogue, country="", organisation=commission)
    handover = MeetingFactory(
        title="Senior Officials' Meeting <Porto>", title_fr="Réunion des hauts fonctionnaires"
    )
    ChairTermFactory(dialogue=dialogue, country="MA", start=on(2015, 1, 1), start_precision="year")
    ChairTermFactory(dialogue=dialogue, country="", organisation=ecowas, start=on(2017, 3, 21))
    ChairTermFactory(
        dialogue=dialogue,
        country="ES",
        start=on(2021, 11, 18),
        end=on(2022, 6, 30),
        handover_meeting=handover,
    )
    ChairTermFactory(
        dialogue=dialogue, country="NG", start=on(2025, 1, 30), handover_meeting=handover
    )
    ChairTermFactory(
        dialogue=dialogue,
        country="",
        organisation=commission,
        start=on(2025, 1, 30),
        handover_meeting=handover,
    )
    plan = StrategicFrameworkFactory(dialogue=dialogue, is_current=True)
    area = FrameworkElementFactory(framework=plan, number="1", title="Root <causes>", title_fr="")
    FrameworkElementFactory(framework=plan, number="2", title="Mobility", title_fr="Mobilité")
    for number in ("1.10", "1.2"):
        FrameworkElementFactory(
            framework=plan,
            parent=area,
            level=FrameworkElement.Level.OBJECTIVE,
            number=number,
            title=f"Objective {number}",
        )
    StrategicFrameworkFactory(dialogue=dialogue, adopted_on=on(2011, 1, 1))
    DocumentFactory(
        title="Dakar <Declaration>", title_fr="Déclaration de Dakar", dialogues=[dialogue]
    )
    DocumentFactory(
        title="Undated notes", date=None, kind=Document.Kind.CONCLUSIONS, dialogues=[dialogue]
    )
    return dialogue


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_dialogue_page_lists_are_the_markup_the_template_drew(client, dialogue, prefix):
    response = client.get(f"{prefix}/dialogues/lists-process/")
    content = response.content.decode()
    context = Context({key: response.context[key] for key in response.context.keys()})
    for name, loop in LOOPS_AS_THE_TEMPLATE_DREW_THEM.items():
        expected = Template("{% load i18n portal dates %}" + loop).render(context)
        if name == "framework areas":  # each framework's tree is written after its heading
            for tree in expected.split('<ol class="framework-tree">')[1:]:
                assert '<ol class="framework-tree">' + tree in content, name
        else:
            assert expected in content, name
    # The cases are there: escaped names, each date precision, French notes, co-chairs.
    assert "Côte d&#x27;Ivoire" in content or "Côte d’Ivoire" in content
    assert "West &lt;African&gt; &amp; Co (ECOWAS)" in content
    assert len(response.context["chairs"].current) == 2 and "</a>, <img" in content  # co-chairs
    handover = "Réunion des hauts fonctionnaires" if prefix else "Officials&#x27; Meeting &lt;Porto"
    assert content.count(handover) == 2  # to the co-chairs (written once), to Spain
    assert ("Partner &lt;organisation&gt;" in content) == (prefix == "")
    assert ("Organisation partenaire" in content) == (prefix == "/fr")
    assert "<strong>1.2</strong> Objective 1.2</li><li><strong>1.10</strong>" in content
    assert "EG" not in {m.country.code for m in response.context["state_members"]}
