"""The secretariat's commands: import_jvap and export_jvap, and the export round-trip."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jvap.models import EntryChange, EntryCountry, EntryOrganisation, EntryUpload, JvapEntry

from .factories import make_domains
from .sheets import GOOD, csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def domains():
    make_domains()


def write(tmp_path, data, name="entries.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_the_summary_and_writes_submitted_entries(tmp_path):
    out, _err = run(
        "import_jvap", write(tmp_path, csv_bytes([GOOD, row(Reference="7")])), "--partner", "SN"
    )
    assert out.strip() == "2 new, 0 updated, 0 unchanged"
    assert JvapEntry.objects.filter(review_state="submitted", partner__code="SN").count() == 2


def test_import_again_reports_unchanged(tmp_path):
    path = write(tmp_path, csv_bytes([GOOD]))
    run("import_jvap", path, "--partner", "sn")
    out, _err = run("import_jvap", path, "--partner", "SN")
    assert out.strip() == "0 new, 0 updated, 1 unchanged"


def test_import_with_campaign_and_publish(tmp_path):
    out, _err = run(
        "import_jvap",
        write(tmp_path, csv_bytes([GOOD])),
        "--partner",
        "SN",
        "--campaign",
        "2019",
        "--publish",
    )
    entry = JvapEntry.objects.published().get()
    assert entry.campaign_year == 2019
    assert EntryUpload.objects.get().campaign.year == 2019


def test_dry_run_writes_nothing(tmp_path):
    out, _err = run(
        "import_jvap", write(tmp_path, csv_bytes([GOOD])), "--partner", "SN", "--dry-run"
    )
    assert out.strip() == "1 new, 0 updated, 0 unchanged"
    assert JvapEntry.objects.count() == 0 and EntryUpload.objects.count() == 0


def test_refused_import_prints_one_line_per_problem_and_exits_non_zero(tmp_path):
    data = csv_bytes([row(Countries="Atlantis"), row(Reference="8", Status="Done")])
    err = io.StringIO()
    with pytest.raises(CommandError) as refusal:
        call_command("import_jvap", write(tmp_path, data), "--partner", "SN", stderr=err)
    assert refusal.value.returncode == 2
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 2, column Countries: “Atlantis” is not a country")
    assert lines[1].startswith("row 3, column Status: “Done” is not one of the accepted values")
    assert len(lines) == 2
    assert JvapEntry.objects.count() == 0


def test_unknown_partner_code_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No state with the ISO code or organisation"):
        run("import_jvap", write(tmp_path, csv_bytes([GOOD])), "--partner", "ZZZ")


def test_export_contains_only_published_entries_in_template_columns(tmp_path):
    run("import_jvap", write(tmp_path, csv_bytes([GOOD])), "--partner", "SN", "--publish")
    run("import_jvap", write(tmp_path, csv_bytes([row(Reference="draft")])), "--partner", "ML")
    output = tmp_path / "out.csv"
    run("export_jvap", "--output", str(output))
    text = output.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == (
        "Reference,Title,Type,JVAP domain,Secondary domains,Countries,Implementing organisations,"
        "Donors,Budget (EUR),Start date,End date,Status,Dialogue,Description,Website"
    )
    assert lines[1] == (
        "1003,Border management training,Project,4,3,Niger; Senegal,IOM; ICMPD,EU,1250000,"
        "2020-01-01,2022-12-31,Ongoing,Rabat Process,Training for border officials.,"
        "https://example.org/project"
    )
    assert len(lines) == 2


def test_export_escapes_formula_cells(tmp_path):
    run(
        "import_jvap",
        write(tmp_path, csv_bytes([row(Title="=HYPERLINK(1)")])),
        "--partner",
        "SN",
        "--publish",
    )
    output = tmp_path / "out.csv"
    run("export_jvap", "--format", "csv", "--output", str(output))
    assert ",'=HYPERLINK(1)," in output.read_text(encoding="utf-8-sig")
    run("export_jvap", "--format", "xlsx", "--output", str(tmp_path / "out.xlsx"))
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet["B2"].value == "'=HYPERLINK(1)"
    assert sheet["I2"].value == 1250000


def test_export_json_lists_values(tmp_path):
    run("import_jvap", write(tmp_path, csv_bytes([GOOD])), "--partner", "SN", "--publish")
    output = tmp_path / "out.json"
    run("export_jvap", "--format", "json", "--output", str(output))
    (entry,) = json.loads(output.read_text())
    assert entry["Countries"] == ["Niger", "Senegal"]
    assert entry["JVAP domain"] == 4 and entry["Budget (EUR)"] == 1250000


ROUND_TRIP_ROWS = [
    GOOD,
    row(
        Reference="A-2",
        Title="=Looks like a formula",
        Type="Politique",
        Countries="Congo, The Democratic Republic of the; Guinée-Bissau; sen",
        **{"Budget (EUR)": "€ 12 500.50", "Start date": "2018", "End date": "31/12/2019"},
        Status="Terminé",
        Dialogue="both",
        Donors="",
        Website="www.example.org",
    ),
    row(
        Reference="3",
        **{"Budget (EUR)": "", "Start date": "", "End date": ""},
        Status="",
        Dialogue="",
    ),
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_round_trip_gives_identical_files(tmp_path, fmt):
    run("import_jvap", write(tmp_path, csv_bytes(ROUND_TRIP_ROWS)), "--partner", "SN", "--publish")
    first = tmp_path / f"first.{fmt}"
    run("export_jvap", "--format", fmt, "--output", str(first))
    for model in (EntryChange, EntryCountry, EntryOrganisation, JvapEntry, EntryUpload):
        model.objects.all().delete()
    out, _err = run("import_jvap", str(first), "--partner", "SN", "--publish")
    assert out.strip() == "3 new, 0 updated, 0 unchanged"
    second = tmp_path / f"second.{fmt}"
    run("export_jvap", "--format", fmt, "--output", str(second))
    if fmt == "csv":
        assert second.read_bytes() == first.read_bytes()
    else:
        values = [
            [list(r) for r in load_workbook(p).active.iter_rows(values_only=True)]
            for p in (first, second)
        ]
        assert values[0] == values[1]
    out, _err = run("import_jvap", str(second), "--partner", "SN")
    assert out.strip() == "0 new, 0 updated, 3 unchanged"


def test_export_writes_to_standard_output_without_output_option(tmp_path, capfdbinary):
    run("import_jvap", write(tmp_path, csv_bytes([GOOD])), "--partner", "SN", "--publish")
    call_command("export_jvap")
    out = capfdbinary.readouterr().out
    assert out.startswith("\ufeffReference,Title".encode())
    assert b"Border management training" in out
