"""Property-based proofs of the JVAP spreadsheet importer: whatever cells or bytes a focal point
sends, the parser, `upload_preview`/`upload_confirm` and `import_jvap` answer with clear errors
(naming the row and column of a faulty cell) or with a correct import — never an unhandled
exception, never a partial write.

The examples are derandomised by the suite's hypothesis profile (tests/conftest.py: the same on
every run and in CI) and few enough that the module runs in seconds; each example runs in a
transaction rolled back afterwards, so examples do not depend on each other.
"""

from __future__ import annotations

import datetime
import string

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import event, given, settings
from hypothesis import strategies as st

from jvap import services
from jvap import spreadsheet as sheet
from jvap.exports import row_texts
from jvap.models import EntryUpload, JvapEntry

from ..jvap.factories import ReportingPartnerFactory, make_domains
from ..jvap.sheets import GOOD, csv_bytes
from .importer_support import (
    TEMPLATE_HEADERS,
    assert_same_tables,
    csv_of,
    grid,
    jvap_models,
    stored_texts,
    table_snapshot,
    xlsx_of,
)

pytestmark = pytest.mark.django_db

# The suite's hypothesis profile (tests/conftest.py) gives 40 derandomised examples a test;
# the slowest tests (the management command, whole uploads) run fewer.
FEW_EXAMPLES = settings(max_examples=15)

# References the seeded partner already has, so that random files also update entries.
SEEDED = ["R-1", "R-2", "R-3"]


@pytest.fixture
def partner(settings, tmp_path):
    """Senegal, with the five domains and three entries already reported."""
    settings.JVAP_UPLOADS_ROOT = tmp_path / "jvap-uploads"
    make_domains()
    senegal = ReportingPartnerFactory(country="SN")
    seed = csv_bytes([{**GOOD, "Reference": reference} for reference in SEEDED])
    services.upload_confirm(data=seed, filename="seed.csv", partner=senegal)
    return senegal


class RolledBack(Exception):
    """Ends an example's transaction so the next example starts from the same database."""


def in_rolled_back_transaction(check):
    try:
        with transaction.atomic():
            check()
            raise RolledBack
    except RolledBack:
        pass


# --- Cells --------------------------------------------------------------------------------------

huge_text = st.builds(
    lambda piece, times: piece * times,
    st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=3),
    st.integers(min_value=200, max_value=40_000),
)
formulas = st.sampled_from(
    [
        "=1+1",
        '=HYPERLINK("https://evil.example","click")',
        "+SUM(A1:A9)",
        "-2+3",
        "@cmd",
        "=cmd|' /C calc'!A0",
        "'=1+1",
        "\t=1",
    ]
)
random_cell = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.text(alphabet=string.printable, max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.dates(min_value=datetime.date(1900, 3, 1)),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
    st.booleans(),
    formulas,
    huge_text,
)

# Values a careful focal point writes in each column, in the forms the template accepts.
valid_cells = {
    sheet.REFERENCE: st.sampled_from([*SEEDED, "R-4", "R-5", "2024/17", "ÉCOLE-1", "42"]),
    sheet.TITLE: st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1),
    sheet.TYPE: st.sampled_from(["Project", "Policy", "projet", "POLITIQUE"]),
    sheet.DOMAIN: st.one_of(
        st.integers(min_value=1, max_value=5), st.sampled_from(["Domain 3", "2. Legal"])
    ),
    sheet.SECONDARY_DOMAINS: st.sampled_from(["", "1", "2; 5", "3,4"]),
    sheet.COUNTRIES: st.sampled_from(["Senegal", "SN; Niger", "Côte d'Ivoire", "Mali, Niger"]),
    sheet.IMPLEMENTERS: st.sampled_from(["", "IOM", "IOM; ICMPD", "UNHCR\nGIZ"]),
    sheet.DONORS: st.sampled_from(["", "EU", "EU; Italy"]),
    sheet.BUDGET: st.one_of(
        st.none(),
        st.integers(min_value=0, max_value=10**12),
        st.sampled_from(["1 250 000 €", "1,250,000.50", "EUR 300"]),
    ),
    sheet.START_DATE: st.one_of(
        st.none(),
        st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2010, 1, 1)),
        st.sampled_from(["2001", "2005-06-30", "01/02/2003"]),
    ),
    sheet.END_DATE: st.one_of(
        st.none(),
        st.dates(min_value=datetime.date(2011, 1, 1), max_value=datetime.date(2099, 1, 1)),
        st.sampled_from(["2030", "2031-12-31"]),
    ),
    sheet.STATUS: st.sampled_from(["", "Ongoing", "terminé", "Planned"]),
    sheet.DIALOGUE: st.sampled_from(["", "Rabat Process", "KP", "les deux"]),
    sheet.DESCRIPTION: st.one_of(
        st.text(st.characters(exclude_categories=["Cc", "Cs"]), max_size=60), huge_text
    ),
    sheet.WEBSITE: st.sampled_from(["", "https://example.org/x", "www.example.org"]),
}


@st.composite
def entry_rows(draw):
    """A row of the template: every cell valid, or some cells replaced by anything at all."""
    values = {header: draw(valid_cells[header]) for header in TEMPLATE_HEADERS}
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        for header in draw(st.sets(st.sampled_from(TEMPLATE_HEADERS), min_size=1, max_size=4)):
            values[header] = draw(random_cell)
    return values


@st.composite
def spreadsheets(draw):
    """(header row, data rows): the template's columns in any order, sometimes one missing or
    an extra one, rows valid or random, some rows empty, sometimes banner rows above."""
    headers = draw(st.permutations(TEMPLATE_HEADERS))
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        headers = [h for h in headers if h != draw(st.sampled_from(headers))]
    if draw(st.booleans()):
        headers = [*headers, draw(st.sampled_from(["Notes", "", "Commentaires"]))]
    rows = draw(st.lists(st.one_of(entry_rows(), st.just({})), min_size=0, max_size=6))
    above = draw(st.lists(st.lists(random_cell, max_size=3), max_size=2))
    return headers, rows, above


def file_bytes(kind: str, headers, rows, above) -> bytes:
    cells = [*above, *grid(headers, rows)]
    return xlsx_of(cells) if kind == "xlsx" else csv_of(cells)


# --- What every answer must be ------------------------------------------------------------------


def assert_clear_errors(errors, *, last_row: int | None = None) -> None:
    """Each error has a message; one about a cell names its row and a template column."""
    for error in errors:
        assert isinstance(error, sheet.ParseError)
        assert error.message.strip(), error
        assert "Traceback" not in error.message
        if error.column is not None:
            assert error.column in sheet.HEADERS, error
            assert error.row is not None and error.row >= 1, error
            assert f"row {error.row}, column {error.column}" in str(error)
        if last_row is not None and error.row is not None:
            assert error.row <= last_row, error


def assert_upload_answer(data: bytes, filename: str, partner) -> None:
    """Preview, then confirm: a refusal writes nothing, an import stores every row as read."""
    preview = services.upload_preview(data=data, filename=filename, partner=partner)
    assert_clear_errors(preview.errors)
    before = table_snapshot(jvap_models())
    entries_before = partner.entries.count()
    event("refused" if preview.errors else "imported")  # --hypothesis-show-statistics
    if not preview.ok:
        with pytest.raises(services.UploadRefused) as refused:
            services.upload_confirm(data=data, filename=filename, partner=partner)
        assert refused.value.preview.errors == preview.errors
        assert_same_tables(before, table_snapshot(jvap_models()))
        return
    confirmed, upload = services.upload_confirm(data=data, filename=filename, partner=partner)
    assert confirmed.summary == preview.summary
    assert partner.entries.count() == entries_before + len(preview.new)
    rows = [*preview.new, *(c.row for c in preview.changed), *(r for r, _e in preview.unchanged)]
    for row in rows:
        assert stored_texts(partner, row.reference) == row_texts(row), row.reference
    assert upload.state == EntryUpload.State.CONFIRMED
    assert upload.changes.count() == len(preview.new) + len(preview.changed)


# --- The properties -----------------------------------------------------------------------------


@given(table=spreadsheets(), kind=st.sampled_from(["xlsx", "csv"]))
def test_random_cells_give_located_errors_or_rows_that_reexport_identically(table, kind):
    headers, rows, above = table
    data = file_bytes(kind, headers, rows, above)
    result = sheet.parse_file(data, f"entries.{kind}")
    assert_clear_errors(result.errors, last_row=len(above) + 1 + len(rows))
    if result.ok:
        assert len(result.rows) == sum(1 for r in rows if r)
        # A correct import is faithful: the rows, exported and read again, are the same rows.
        again = sheet.parse_file(csv_bytes([row_texts(r) for r in result.rows]), "again.csv").rows
        assert [row_texts(r) for r in again] == [row_texts(r) for r in result.rows]


@given(table=spreadsheets(), kind=st.sampled_from(["xlsx", "csv"]))
def test_random_cells_are_imported_whole_or_refused_without_a_write(partner, table, kind):
    headers, rows, above = table
    data = file_bytes(kind, headers, rows, above)
    in_rolled_back_transaction(lambda: assert_upload_answer(data, f"entries.{kind}", partner))


@st.composite
def valid_spreadsheets(draw):
    """Only valid cells, unique references, columns in any order, some empty rows."""
    rows = [
        {**{h: draw(valid_cells[h]) for h in TEMPLATE_HEADERS}, sheet.REFERENCE: reference}
        for reference in draw(st.lists(valid_cells[sheet.REFERENCE], min_size=1, unique=True))
    ]
    for position in draw(st.lists(st.integers(min_value=0, max_value=len(rows)), max_size=3)):
        rows.insert(position, {})
    return draw(st.permutations(TEMPLATE_HEADERS)), rows, []


@given(table=valid_spreadsheets(), kind=st.sampled_from(["xlsx", "csv"]))
def test_valid_cells_in_any_column_order_are_imported_as_read(partner, table, kind):
    data = file_bytes(kind, *table)

    def check():
        preview = services.upload_preview(data=data, filename=f"e.{kind}", partner=partner)
        assert preview.ok, [str(e) for e in preview.errors]
        assert len(preview.new) + len(preview.changed) + len(preview.unchanged) == sum(
            1 for r in table[1] if r
        )
        assert_upload_answer(data, f"e.{kind}", partner)

    in_rolled_back_transaction(check)


@st.composite
def one_bad_cell(draw):
    """Valid rows, one cell of one of them replaced by a value the column cannot accept."""
    rows = [
        {**{h: draw(valid_cells[h]) for h in TEMPLATE_HEADERS}, sheet.REFERENCE: f"B-{n}"}
        for n in range(draw(st.integers(min_value=1, max_value=4)))
    ]
    index = draw(st.integers(min_value=0, max_value=len(rows) - 1))
    header, bad = draw(
        st.sampled_from(
            [
                (sheet.TYPE, st.sampled_from(["Programme", "=1+1", "x" * 5000])),
                (sheet.DOMAIN, st.sampled_from(["6", "0", "Domain 9", "Health"])),
                (sheet.COUNTRIES, st.sampled_from(["Atlantis", "Senegal; Narnia", "ZZ"])),
                (sheet.BUDGET, st.sampled_from(["-5", "lots", "1e400", "=SUM(A1)", "€€"])),
                (
                    sheet.START_DATE,
                    st.sampled_from(["31/02/2020", "tomorrow", "1800", "2020-13-01"]),
                ),
                (sheet.STATUS, st.sampled_from(["Paused", "@cmd"])),
                (sheet.DIALOGUE, st.sampled_from(["Budapest Process"])),
                (sheet.WEBSITE, st.sampled_from(["javascript:alert(1)", "not a site"])),
                (sheet.REFERENCE, st.just("R" * 101)),
                (sheet.TITLE, st.sampled_from(["", "T" * 501])),
            ]
        ).flatmap(lambda pair: st.tuples(st.just(pair[0]), pair[1]))
    )
    rows[index][header] = bad
    return rows, index, header


def written_as_text(kind: str):
    """In an .xlsx, a cell starting with '=' is a formula, which an upload reads as the value
    the spreadsheet program last computed (none when written by code): only CSV keeps it text."""
    return lambda case: kind == "csv" or not str(case[0][case[1]][case[2]]).startswith("=")


@given(data=st.data(), kind=st.sampled_from(["xlsx", "csv"]))
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_written(partner, data, kind):
    rows, index, header = data.draw(one_bad_cell().filter(written_as_text(kind)))
    headers = list(TEMPLATE_HEADERS)
    upload = file_bytes(kind, headers, rows, [])

    def check():
        before = table_snapshot(jvap_models())
        with pytest.raises(services.UploadRefused) as refused:
            services.upload_confirm(data=upload, filename=f"e.{kind}", partner=partner)
        located = {(e.row, e.column) for e in refused.value.preview.errors}
        assert (index + 2, header) in located  # the header is row 1
        assert_clear_errors(refused.value.preview.errors)
        assert_same_tables(before, table_snapshot(jvap_models()))

    in_rolled_back_transaction(check)


def damaged_xlsx(valid: bytes):
    """A real workbook with a slice of its bytes overwritten by random bytes."""
    return st.tuples(
        st.integers(min_value=0, max_value=len(valid) - 1), st.binary(min_size=1, max_size=64)
    ).map(lambda cut: valid[: cut[0]] + cut[1] + valid[cut[0] + len(cut[1]) :])


VALID_XLSX = xlsx_of(grid(TEMPLATE_HEADERS, [{**GOOD, "Reference": "X-1"}]))
random_bytes = st.one_of(
    st.binary(max_size=2000),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=200).map(lambda b: b"\xd0\xcf\x11\xe0" + b),
    st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbfReference,Title,Type\n" + b),
    damaged_xlsx(VALID_XLSX),
)


@given(data=random_bytes, name=st.sampled_from(["entries.xlsx", "entries.csv", "entries"]))
def test_random_bytes_are_refused_with_a_message_or_read(partner, data, name):
    in_rolled_back_transaction(lambda: assert_upload_answer(data, name, partner))


@FEW_EXAMPLES
@given(
    data=st.one_of(random_bytes, spreadsheets().map(lambda t: file_bytes("csv", *t))),
    name=st.sampled_from(["entries.xlsx", "entries.csv"]),
)
def test_import_jvap_reports_problems_or_imports_never_a_traceback(partner, tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)

    def check():
        before = table_snapshot(jvap_models())
        try:
            call_command(
                "import_jvap", str(path), "--partner", "SN", stdout=_Sink(), stderr=_Sink()
            )
        except CommandError as error:
            assert error.returncode == 2
            assert "nothing was written" in str(error)
            assert_same_tables(before, table_snapshot(jvap_models()))
        else:
            assert JvapEntry.objects.filter(partner=partner).count() >= len(SEEDED)

    in_rolled_back_transaction(check)


class _Sink:
    """Swallows a command's output."""

    def write(self, text):
        pass

    def flush(self):
        pass


@FEW_EXAMPLES
@given(
    reference=st.sampled_from(SEEDED),
    spelling=st.sampled_from([str.lower, str.upper, lambda r: f"  {r} "]),
    kind=st.sampled_from(["xlsx", "csv"]),
)
def test_a_known_reference_in_another_case_updates_the_entry_never_duplicates_it(
    partner, reference, spelling, kind
):
    data = file_bytes(kind, TEMPLATE_HEADERS, [{**GOOD, "Reference": spelling(reference)}], [])

    def check():
        count = partner.entries.count()
        preview, _upload = services.upload_confirm(data=data, filename=f"e.{kind}", partner=partner)
        assert len(preview.new) == 0
        assert partner.entries.count() == count
        references = [r.casefold() for r in partner.entries.values_list("reference", flat=True)]
        assert len(references) == len(set(references))

    in_rolled_back_transaction(check)
