"""Audit: who changed what and when is recorded and readable; a deleted record comes back."""

import pytest
from django.urls import reverse

from dialogues.models import Membership, Organisation
from tests.dialogues.factories import DialogueFactory, OrganisationFactory

AUDITED_MODELS = [
    "dialogue",
    "membership",
    "steeringcommitteeseat",
    "chairterm",
    "meeting",
    "meetingphoto",
    "document",
    "organisation",
    "focalpoint",
]


def organisation_form(organisation, **changes):
    data = {
        "name": organisation.name,
        "name_fr": "",
        "acronym": organisation.acronym,
        "slug": organisation.slug,
        "type": organisation.type,
        "country": "",
        "website": "",
        "description": "",
        "description_fr": "",
        "source_note": "",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_an_admin_change_records_who_when_and_what(secretariat_client, secretariat_user):
    organisation = OrganisationFactory(name="International Centre", acronym="IC")

    response = secretariat_client.post(
        reverse("admin:dialogues_organisation_change", args=[organisation.pk]),
        organisation_form(organisation, acronym="ICMPD"),
    )

    assert response.status_code == 302
    latest, created = organisation.history.order_by("-history_id")[:2]
    assert latest.history_type == "~" and created.history_type == "+"
    assert latest.history_user == secretariat_user
    assert latest.history_date >= created.history_date
    change = latest.diff_against(created)
    assert [(c.field, c.old, c.new) for c in change.changes] == [("acronym", "IC", "ICMPD")]


@pytest.mark.django_db
def test_the_history_page_shows_the_versions_and_who_made_them(secretariat_client):
    organisation = OrganisationFactory(acronym="OLD")
    secretariat_client.post(
        reverse("admin:dialogues_organisation_change", args=[organisation.pk]),
        organisation_form(organisation, acronym="NEW"),
    )

    page = secretariat_client.get(
        reverse("admin:dialogues_organisation_history", args=[organisation.pk])
    )

    assert page.status_code == 200
    content = page.content.decode()
    assert "secretariat" in content and "Changed" in content and "Created" in content


@pytest.mark.django_db
def test_a_deleted_record_is_listed_and_restored_from_the_admin(
    secretariat_client, secretariat_user
):
    organisation = OrganisationFactory(name="Deleted By Mistake", acronym="DBM")
    pk = organisation.pk
    delete = secretariat_client.post(
        reverse("admin:dialogues_organisation_delete", args=[pk]), {"post": "yes"}
    )
    assert delete.status_code == 302
    assert not Organisation.objects.filter(pk=pk).exists()
    deletion = Organisation.history.filter(id=pk).latest("history_id")
    assert deletion.history_type == "-" and deletion.history_user == secretariat_user

    deleted_page = secretariat_client.get(reverse("admin:dialogues_organisation_deleted"))
    assert "Deleted By Mistake" in deleted_page.content.decode()
    revert_url = reverse(
        "admin:dialogues_organisation_simple_history", args=[pk, deletion.history_id]
    )
    assert revert_url in deleted_page.content.decode()
    form = secretariat_client.get(revert_url)
    assert form.status_code == 200 and "Revert" in form.content.decode()
    restored = secretariat_client.post(revert_url, organisation_form(deletion.instance))

    assert restored.status_code == 302
    organisation = Organisation.objects.get(pk=pk)
    assert (organisation.name, organisation.acronym) == ("Deleted By Mistake", "DBM")
    assert organisation.history.latest("history_id").history_user == secretariat_user
    assert (
        "No deleted records."
        in secretariat_client.get(reverse("admin:dialogues_organisation_deleted")).content.decode()
    )


@pytest.mark.django_db
def test_a_deleted_record_is_restored_in_code_with_its_last_state():
    membership = Membership.objects.create(dialogue=DialogueFactory(), country="ML", note="kept")
    pk = membership.pk
    membership.delete()

    Membership.history.filter(id=pk).latest("history_id").instance.save()

    assert Membership.objects.get(pk=pk).note == "kept"


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", AUDITED_MODELS)
def test_every_audited_model_has_history_and_deleted_pages(secretariat_client, model_name):
    deleted = secretariat_client.get(reverse(f"admin:dialogues_{model_name}_deleted"))
    changelist = secretariat_client.get(reverse(f"admin:dialogues_{model_name}_changelist"))

    assert deleted.status_code == 200
    assert changelist.status_code == 200
    assert reverse(f"admin:dialogues_{model_name}_deleted") in changelist.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["organisation", "membership", "focalpoint", "meeting"])
def test_import_and_export_still_work_on_audited_admins(secretariat_client, model_name):
    changelist = secretariat_client.get(reverse(f"admin:dialogues_{model_name}_changelist"))
    import_page = secretariat_client.get(reverse(f"admin:dialogues_{model_name}_import"))
    export_page = secretariat_client.get(reverse(f"admin:dialogues_{model_name}_export"))

    content = changelist.content.decode()
    assert reverse(f"admin:dialogues_{model_name}_import") in content
    assert reverse(f"admin:dialogues_{model_name}_export") in content
    assert import_page.status_code == 200 and export_page.status_code == 200


@pytest.mark.django_db
def test_changes_made_through_an_import_are_in_the_history(secretariat_client, secretariat_user):
    csv = "name,acronym,slug,type\nAfrican Union Commission,AUC,auc,au-institution\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:dialogues_organisation_import")
    confirm = secretariat_client.post(
        url,
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("organisations.csv", csv.encode(), "text/csv"),
        },
    )
    assert confirm.status_code == 200, confirm.content.decode()[:500]
    form = confirm.context["confirm_form"]
    done = secretariat_client.post(
        reverse("admin:dialogues_organisation_process_import"),
        {name: field.value() for name, field in ((n, form[n]) for n in form.fields)},
    )

    assert done.status_code == 302
    organisation = Organisation.objects.get(slug="auc")
    record = organisation.history.get()
    assert record.history_type == "+" and record.history_user == secretariat_user


@pytest.mark.django_db
def test_which_dialogues_a_meeting_belongs_to_is_part_of_its_history(secretariat_user):
    from tests.dialogues.factories import MeetingFactory

    rabat, khartoum = DialogueFactory(short_name="Rabat"), DialogueFactory(short_name="Khartoum")
    meeting = MeetingFactory()
    meeting.dialogues.set([rabat])
    meeting.dialogues.add(khartoum)

    latest = meeting.history.latest("history_id")
    assert {row.dialogue_id for row in latest.dialogues.all()} == {rabat.pk, khartoum.pk}
    earlier = meeting.history.order_by("history_id")[1]
    assert {row.dialogue_id for row in earlier.dialogues.all()} == {rabat.pk}


@pytest.mark.django_db
def test_the_reason_given_in_the_change_form_is_kept_in_the_history(secretariat_client):
    organisation = OrganisationFactory(acronym="OLD")
    form = secretariat_client.get(
        reverse("admin:dialogues_organisation_change", args=[organisation.pk])
    )
    assert 'name="change_reason"' in form.content.decode()

    secretariat_client.post(
        reverse("admin:dialogues_organisation_change", args=[organisation.pk]),
        organisation_form(
            organisation, acronym="NEW", change_reason="Renamed by the 2026 ministerial decision"
        ),
    )

    latest = organisation.history.latest("history_id")
    assert latest.history_change_reason == "Renamed by the 2026 ministerial decision"
    page = secretariat_client.get(
        reverse("admin:dialogues_organisation_history", args=[organisation.pk])
    )
    assert "Renamed by the 2026 ministerial decision" in page.content.decode()


@pytest.mark.django_db
def test_a_change_without_a_reason_shows_no_none_in_the_history(secretariat_client):
    organisation = OrganisationFactory(acronym="OLD")
    secretariat_client.post(
        reverse("admin:dialogues_organisation_change", args=[organisation.pk]),
        organisation_form(organisation, acronym="NEW"),
    )

    page = secretariat_client.get(
        reverse("admin:dialogues_organisation_history", args=[organisation.pk])
    )

    assert organisation.history.latest("history_id").history_change_reason is None
    assert "None" not in page.content.decode()


@pytest.mark.django_db
def test_a_governance_record_with_fieldsets_offers_the_reason_too(secretariat_client):
    dialogue = DialogueFactory()

    form = secretariat_client.get(reverse("admin:dialogues_dialogue_change", args=[dialogue.pk]))

    assert 'name="change_reason"' in form.content.decode()
