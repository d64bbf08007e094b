"""The grants spreadsheet import: a good file is imported whole, a file with a bad row is
refused whole with messages naming the row and the column."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from dialogues.models import Organisation
from grants.models import ConsortiumMember, Grant
from grants.services import grants_import_spreadsheet
from grants.spreadsheet import COLUMN_NAMES, SpreadsheetRefused
from tests.dialogues.factories import DialogueFactory, DomainFactory
from tests.grants.factories import CallFactory, GrantFactory, organisation

pytestmark = pytest.mark.django_db


def grant_row(reference="GF-2025-01", **values):
    row = {
        "record": "grant",
        "grant_reference": reference,
        "title": "Safe journeys",
        "call": "Call 2",
        "summary": "Information for people on the move.",
        "amount_eur": 150000,
        "co_financing_eur": 5000,
        "start": "2025-03-01",
        "end": "2025-08-31",
        "status": "ongoing",
        "countries": "SN; ML",
        "dialogues": "rabat-process",
        "domains": "3; 4",
        "published": "yes",
        "source_note": "Grant contract",
    }
    row.update(values)
    return row


def member_row(reference="GF-2025-01", **values):
    row = {
        "record": "member",
        "grant_reference": reference,
        "organisation": "Sahel Solidarity",
        "organisation_type": "civil-society",
        "organisation_country": "SN",
        "role": "lead",
    }
    row.update(values)
    return row


def workbook(rows, columns=COLUMN_NAMES):
    book = Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_rows(rows):
    return grants_import_spreadsheet(upload=io.BytesIO(workbook(rows)), filename="grants.xlsx")


@pytest.fixture(autouse=True)
def records():
    CallFactory(reference="Call 2", slug="call-2")
    DialogueFactory(slug="rabat-process")
    for number in range(1, 6):
        DomainFactory(number=number)


GOOD = [
    grant_row(),
    member_row(),
    member_row(
        organisation="Lisbon Diaspora Forum",
        acronym="LDF",
        organisation_type="diaspora",
        organisation_country="PT",
        role="co-applicant",
    ),
    grant_row(
        "GF-2025-02", title="Returning with skills", countries="GM", dialogues="", domains="5"
    ),
    member_row("GF-2025-02"),
]


def test_good_spreadsheet_is_imported():
    summary = import_rows(GOOD)
    assert (summary.grants_created, summary.organisations_created, summary.members) == (2, 2, 3)
    grant = Grant.objects.get(reference="GF-2025-01")
    assert grant.is_published and grant.amount_eur == 150000 and grant.call.reference == "Call 2"
    assert grant.country_codes() == ["ML", "SN"]
    assert [d.number for d in grant.domains.all()] == [3, 4]
    assert [d.slug for d in grant.dialogues.all()] == ["rabat-process"]
    roles = {m.organisation.name: m.role for m in grant.consortium.all()}
    assert roles == {"Sahel Solidarity": "lead", "Lisbon Diaspora Forum": "co-applicant"}
    # One organisation record, however many grants it joins.
    assert Organisation.objects.filter(name="Sahel Solidarity").count() == 1


def test_importing_again_updates_and_replaces_the_consortium():
    import_rows(GOOD)
    summary = import_rows([grant_row(amount_eur=140000), member_row()])
    assert (summary.grants_created, summary.grants_updated) == (0, 1)
    grant = Grant.objects.get(reference="GF-2025-01")
    assert grant.amount_eur == 140000
    assert [m.organisation.name for m in grant.consortium.all()] == ["Sahel Solidarity"]


def test_existing_organisation_is_reused():
    existing = organisation(Organisation.Type.CIVIL_SOCIETY, "SN", name="Sahel Solidarity")
    import_rows([grant_row(), member_row(organisation_type="", organisation_country="")])
    assert ConsortiumMember.objects.get().organisation == existing


def refusal(rows):
    with pytest.raises(SpreadsheetRefused) as refused:
        import_rows(rows)
    return refused.value.messages


def test_bad_rows_refuse_the_whole_file_with_row_and_column():
    messages = refusal(
        [
            *GOOD,
            grant_row("GF-2025-03", start="2025-06-01", end="2025-01-31"),
            member_row("GF-2025-03", organisation="New Club", organisation_type="club"),
        ]
    )
    assert any(m.startswith("Row 7, column end:") for m in messages), messages
    assert any(
        m.startswith("Row 8, column organisation_type:") and "club" in m for m in messages
    ), messages
    assert Grant.objects.count() == 0
    assert not Organisation.objects.filter(name__in=["Sahel Solidarity", "New Club"]).exists()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([grant_row(call="Call 9"), member_row()], "Row 2, column call:"),
        ([grant_row(amount_eur=-5), member_row()], "Row 2, column amount_eur:"),
        ([grant_row(countries="SN; Atlantis"), member_row()], "Row 2, column countries:"),
        ([grant_row(dialogues="nowhere"), member_row()], "Row 2, column dialogues:"),
        ([grant_row(domains="7"), member_row()], "Row 2, column domains:"),
        ([grant_row(status="paused"), member_row()], "Row 2, column status:"),
        ([grant_row(start="1 March"), member_row()], "Row 2, column start:"),
        ([grant_row(title=""), member_row()], "Row 2, column title:"),
        ([grant_row(), member_row(role="sponsor")], "Row 3, column role:"),
        (
            [grant_row(), member_row(role="lead"), member_row(organisation="Other", role="lead")],
            "Row 4, column role:",
        ),
        ([grant_row(), member_row(role="co-applicant")], "Row 2, column role:"),
        ([grant_row(), member_row(), member_row("GF-404")], "Row 4, column grant_reference:"),
        ([grant_row(), grant_row(), member_row()], "Row 3, column grant_reference:"),
        ([grant_row(), member_row(organisation_type="")], "Row 3, column organisation_type:"),
        ([grant_row(), member_row(record="partner")], "Row 3, column record:"),
        ([grant_row(slug="calls"), member_row()], "Row 2, column slug:"),
    ],
)
def test_each_rule_names_its_row_and_column(rows, expected):
    messages = refusal(rows)
    assert any(m.startswith(expected) for m in messages), messages
    assert Grant.objects.count() == 0


def test_row_contradicting_a_recorded_organisation_is_refused():
    organisation(Organisation.Type.RESEARCH, "FR", name="Sahel Solidarity")
    messages = refusal([grant_row(), member_row()])
    assert any(m.startswith("Row 3, column organisation_type:") for m in messages)
    assert any(m.startswith("Row 3, column organisation_country:") for m in messages)


def test_missing_columns_and_wrong_file_types_are_refused():
    with pytest.raises(SpreadsheetRefused) as refused:
        grants_import_spreadsheet(upload=io.BytesIO(workbook([], ["title"])), filename="g.xlsx")
    assert "record" in refused.value.messages[0]
    with pytest.raises(SpreadsheetRefused):
        grants_import_spreadsheet(upload=io.BytesIO(b"not a zip"), filename="g.xlsx")
    with pytest.raises(SpreadsheetRefused):
        grants_import_spreadsheet(upload=io.BytesIO(b"x"), filename="g.pdf")


def test_csv_spreadsheet_is_imported_too():
    lines = [",".join(COLUMN_NAMES)]
    for row in GOOD[:3]:
        lines.append(",".join(f'"{row.get(c, "")}"' for c in COLUMN_NAMES))
    data = "\n".join(lines).encode()
    grants_import_spreadsheet(upload=io.BytesIO(data), filename="grants.csv")
    assert Grant.objects.get().consortium.count() == 2


def test_admin_import_page_documents_the_columns_and_reports_problems(secretariat_client):
    page = secretariat_client.get("/admin/grants/grant/import-spreadsheet/")
    assert page.status_code == 200
    content = page.content.decode()
    for column in ["record", "grant_reference", "organisation_type", "role"]:
        assert f"<code>{column}</code>" in content
    bad = SimpleUploadedFile("grants.xlsx", workbook([grant_row(end="2024-01-01"), member_row()]))
    response = secretariat_client.post("/admin/grants/grant/import-spreadsheet/", {"file": bad})
    assert "Row 2, column end:" in response.content.decode()
    assert Grant.objects.count() == 0
    good = SimpleUploadedFile("grants.xlsx", workbook(GOOD))
    response = secretariat_client.post("/admin/grants/grant/import-spreadsheet/", {"file": good})
    assert response.status_code == 302
    assert Grant.objects.count() == 2


def test_admin_export_action_round_trips_through_the_import(secretariat_client):
    import_rows(GOOD)
    Grant.objects.filter(reference="GF-2025-01").update(title="=HYPERLINK(1)")
    ids = list(Grant.objects.values_list("pk", flat=True))
    response = secretariat_client.post(
        "/admin/grants/grant/", {"action": "export_spreadsheet", "_selected_action": ids}
    )
    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert list(rows[0]) == COLUMN_NAMES
    assert sorted(row[0] for row in rows[1:]) == ["grant", "grant", "member", "member", "member"]
    Grant.objects.all().delete()
    summary = grants_import_spreadsheet(upload=io.BytesIO(response.content), filename="grants.xlsx")
    assert (summary.grants_created, summary.members) == (2, 3)
    assert Grant.objects.filter(title="=HYPERLINK(1)").exists()


def test_admin_changelist_filters_by_country_and_organisation_type(secretariat_client):
    GrantFactory(
        title="Kenyan",
        countries=["KE"],
        members=[(organisation(Organisation.Type.DIASPORA), "lead")],
    )
    GrantFactory(title="Malian", countries=["ML"])
    response = secretariat_client.get("/admin/grants/grant/?country=KE")
    assert [g.title for g in response.context["cl"].result_list] == ["Kenyan"]
    response = secretariat_client.get("/admin/grants/grant/?organisation_type=diaspora")
    assert [g.title for g in response.context["cl"].result_list] == ["Kenyan"]


def test_published_accepts_yes_no_and_spreadsheet_booleans():
    import_rows([grant_row(published=True), member_row(), grant_row("GF-2", published="no")])
    assert Grant.objects.get(reference="GF-2025-01").is_published
    assert not Grant.objects.get(reference="GF-2").is_published
    messages = refusal([grant_row("GF-3", published="maybe")])
    assert any(m.startswith("Row 2, column published:") for m in messages)


def test_a_published_grant_needs_its_lead_applicant():
    messages = refusal([grant_row(published="yes")])
    assert any(m.startswith("Row 2, column role:") for m in messages)
