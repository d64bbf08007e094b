"""Documents added in the Documents section of a meeting's admin page: they get their own
addresses and belong to the meeting's dialogues (the 500 of issue 10)."""

import importlib

import pytest
from django.urls import reverse

from dialogues.models import Document
from tests.adminforms import add_inline_row, browser_form_data
from tests.dialogues.factories import DialogueFactory, DocumentFactory, MeetingFactory


def _add_documents_in_the_meeting_inline(client, meeting, titles: list[str]):
    url = reverse("admin:dialogues_meeting_change", args=[meeting.pk])
    page = client.get(url)
    data = browser_form_data(page)
    documents = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is Document
    )
    for title in titles:
        row = add_inline_row(data, documents)
        data[f"{row}-title"] = [title]
        data[f"{row}-kind"] = [Document.Kind.REPORT]
        data[f"{row}-url"] = ["https://example.org/report.pdf"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        *[inline.formset.errors for inline in response.context["inline_admin_formsets"]],
    ]


@pytest.mark.django_db
def test_documents_added_in_a_meeting_inline_get_slugs_and_the_meetings_dialogue(admin_client):
    dialogue = DialogueFactory(name="Rabat Process", slug="rabat-process")
    meeting = MeetingFactory(title="Réunion à Dakar", city="Dakar", dialogues=[dialogue])

    _add_documents_in_the_meeting_inline(
        admin_client, meeting, ["Réunion à Dakar : conclusions", "Réunion à Dakar : conclusions"]
    )

    documents = list(meeting.documents.order_by("pk"))
    assert [d.slug for d in documents] == [
        "reunion-a-dakar-conclusions",
        "reunion-a-dakar-conclusions-2",
    ]
    for document in documents:
        assert list(document.dialogues.all()) == [dialogue]
    for path in [
        meeting.get_absolute_url(),
        reverse("dialogues:document_list"),
        reverse("search") + "?q=Dakar",
        *[document.get_absolute_url() for document in documents],
    ]:
        assert admin_client.get(path).status_code == 200, path
    dialogue_page = admin_client.get(dialogue.get_absolute_url()).content.decode()
    assert "No documents are recorded yet." not in dialogue_page
    for document in documents:
        assert document.get_absolute_url() in dialogue_page


@pytest.mark.django_db
def test_a_meeting_document_keeps_the_dialogues_its_editor_chose(admin_client):
    rabat = DialogueFactory(slug="rabat-process")
    khartoum = DialogueFactory(slug="khartoum-process")
    meeting = MeetingFactory(dialogues=[rabat, khartoum])

    document = DocumentFactory(meeting=meeting, dialogues=[khartoum])
    inherited = DocumentFactory(meeting=meeting)
    no_meeting = DocumentFactory()

    assert list(document.dialogues.all()) == [khartoum]
    assert set(inherited.dialogues.all()) == {rabat, khartoum}
    assert not no_meeting.dialogues.exists()


@pytest.mark.django_db
def test_a_document_added_on_its_own_admin_page_with_a_meeting_takes_its_dialogues(
    admin_client,
):
    dialogue = DialogueFactory()
    meeting = MeetingFactory(dialogues=[dialogue])
    page = admin_client.get(reverse("admin:dialogues_document_add"))
    data = browser_form_data(page)
    data.update(
        title=["Dakar Declaration"],
        kind=[Document.Kind.DECLARATION],
        url=["https://example.org/declaration.pdf"],
        meeting=[str(meeting.pk)],
    )

    response = admin_client.post(reverse("admin:dialogues_document_add"), data)

    assert response.status_code == 302
    document = Document.objects.get(title="Dakar Declaration")
    assert document.slug == "dakar-declaration"
    assert list(document.dialogues.all()) == [dialogue]


@pytest.mark.django_db
def test_the_migration_links_meeting_documents_left_without_a_dialogue():
    from django.apps import apps

    migration = importlib.import_module("dialogues.migrations.0007_slugs_generated_on_save")
    dialogue = DialogueFactory()
    meeting = MeetingFactory(dialogues=[dialogue])
    orphan = DocumentFactory(meeting=meeting)
    orphan.dialogues.clear()  # as the meeting's inline left them before
    chosen = DocumentFactory(meeting=meeting, dialogues=[DialogueFactory()])

    migration.link_meeting_documents_to_dialogues(apps, None)

    assert list(orphan.dialogues.all()) == [dialogue]
    assert dialogue not in chosen.dialogues.all()
