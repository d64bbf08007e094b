"""The meetings' cards and a dialogue's timeline, written in Python (dialogues/templatetags/
meetings.py), give the markup the templates' loops drew, whatever the meeting: postponed or
cancelled, over several days, online, without a country, in several dialogues, with
characters to escape, in English and in French."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from dialogues.models import Meeting
from tests.dialogues.factories import DialogueFactory, MeetingFactory

# The loops the tags replace, as the templates wrote them.
CARDS_AS_THE_TEMPLATE_DREW_THEM = """{% load i18n portal dates %}
<ul class="cards meeting-list">
  {% for meeting in meetings %}
  <li class="card">
    <p class="meta"><time datetime="{{ meeting|iso_as_known:'start_date' }}">{{ meeting|as_known:"start_date" }}</time>{% if meeting.end_date and meeting.end_date != meeting.start_date %} – <time datetime="{{ meeting|iso_as_known:'end_date' }}">{{ meeting|as_known:"end_date" }}</time>{% endif %}
      · {{ meeting.get_type_display }}{% if meeting.status != "held" %} · <span class="status status-{{ meeting.status }}">{{ meeting.get_status_display }}</span>{% endif %}</p>
    <h3><a href="{{ meeting.get_absolute_url }}">{{ meeting|localized:"title" }}</a></h3>
    <p class="meta">{% if meeting.country %}{% flag meeting.country %} {% endif %}{{ meeting.place }}{% with dialogues=meeting.dialogues.all %}{% if dialogues %} · {% for d in dialogues %}{{ d|localized:"short_name" }}{% if not forloop.last %}, {% endif %}{% endfor %}{% endif %}{% endwith %}</p>
  </li>
  {% endfor %}
</ul>
"""  # noqa: E501 (the template's own lines)
TIMELINE_AS_THE_TEMPLATE_DREW_IT = """{% load portal dates %}{% for meeting in meetings %}<li><time datetime="{{ meeting|iso_as_known:'start_date' }}">{{ meeting|as_known:"start_date" }}</time> <a href="{{ meeting.get_absolute_url }}">{{ meeting|localized:"title" }}</a> <span class="meta">{{ meeting.get_type_display }}{% if meeting.place %} · {{ meeting.place }}{% endif %}</span></li>
{% endfor %}"""  # noqa: E501


@pytest.fixture
def meetings(db):
    rabat = DialogueFactory(short_name="Rabat <Process>", short_name_fr="Processus de Rabat")
    khartoum = DialogueFactory(short_name="Khartoum & Co")
    MeetingFactory(title="Held in Dakar", title_fr="Tenue à Dakar", dialogues=[rabat, khartoum])
    MeetingFactory(
        title='Postponed "talks" <b>',
        status=Meeting.Status.POSTPONED,
        start_date=datetime.date(2024, 5, 2),
        end_date=datetime.date(2024, 5, 4),
        type=Meeting.Type.SENIOR_OFFICIALS_MEETING,
        dialogues=[rabat],
    )
    MeetingFactory(
        title="Online, one day",
        is_online=True,
        status=Meeting.Status.CANCELLED,
        start_date=datetime.date(2024, 6, 7),
        end_date=datetime.date(2024, 6, 7),
    )
    MeetingFactory(title="No country", country="", city="", type=Meeting.Type.WEBINAR)
    MeetingFactory(
        title="Known to the month",
        start_date=datetime.date(2019, 11, 1),
        start_date_precision="month",
        city="Niamey",
        country="NE",
    )
    MeetingFactory(
        title="Known to the year", start_date=datetime.date(2015, 1, 1), start_date_precision="year"
    )
    return list(Meeting.objects.prefetch_related("dialogues").order_by("pk"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_meeting_cards_are_the_markup_the_template_drew(meetings, language):
    with translation.override(language):
        expected = Template(CARDS_AS_THE_TEMPLATE_DREW_THEM).render(Context({"meetings": meetings}))
        written = Template('{% include "includes/meeting_items.html" %}').render(
            Context({"meetings": meetings})
        )
    assert written == expected
    assert "status-postponed" in written and "&lt;b&gt;" in written  # the cases are there


@pytest.mark.parametrize("language", ["en", "fr"])
def test_dialogue_timeline_is_the_markup_the_template_drew(meetings, language):
    with translation.override(language):
        expected = Template(TIMELINE_AS_THE_TEMPLATE_DREW_IT).render(
            Context({"meetings": meetings})
        )
        written = Template("{% load meetings %}{% meeting_timeline meetings %}").render(
            Context({"meetings": meetings})
        )
    assert written == expected
