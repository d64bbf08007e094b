"""Every parsing rule of the JVAP importer, on the pure parser (no database needed)."""

import datetime
from decimal import Decimal

import pytest

from jvap import spreadsheet as sheet
from jvap.spreadsheet import CellError, match_country, parse_budget, parse_date, parse_file

from .sheets import GOOD, csv_bytes, row, xlsx_bytes


def one_row(data, name="entries.csv"):
    result = parse_file(data, name)
    assert result.errors == [], [str(e) for e in result.errors]
    assert len(result.rows) == 1
    return result.rows[0]


def errors_of(data, name="entries.csv"):
    return [str(error) for error in parse_file(data, name).errors]


# --- Countries: the traps -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Niger", "NE"),
        ("Nigeria", "NG"),
        ("Sudan", "SD"),
        ("South Sudan", "SS"),
        ("Guinea", "GN"),
        ("Guinea-Bissau", "GW"),
        ("Equatorial Guinea", "GQ"),
        ("Papua New Guinea", "PG"),
        ("Soudan", "SD"),
        ("Soudan du Sud", "SS"),
        ("Guinée", "GN"),
        ("Guinée-Bissau", "GW"),
        ("Guinée équatoriale", "GQ"),
        ("Nigéria", "NG"),
    ],
)
def test_similar_country_names_are_never_confused(text, code):
    assert match_country(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Sénégal", "SN"),
        ("Senegal", "SN"),
        ("Maroc", "MA"),
        ("Allemagne", "DE"),
        ("Pays-Bas", "NL"),
        ("Royaume-Uni", "GB"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Cape Verde", "CV"),
        ("Czech Republic", "CZ"),
        ("Sao Tome and Principe", "ST"),
        ("The Gambia", "GM"),
        ("Gambia", "GM"),
        ("Tanzania (United Republic of)", "TZ"),
        ("Congo (Democratic Republic of)", "CD"),
        ("Congo, The Democratic Republic of the", "CD"),
        ("Congo (Republic of)", "CG"),
        ("Congo", "CG"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("  senegal ", "SN"),
        ("SENEGAL", "SN"),
    ],
)
def test_country_names_in_english_french_and_common_variants(text, code):
    assert match_country(text) == code


@pytest.mark.parametrize(
    ("text", "code"), [("SN", "SN"), ("sn", "SN"), ("SEN", "SN"), ("ner", "NE"), ("NGA", "NG")]
)
def test_iso_alpha2_and_alpha3_codes_in_any_case(text, code):
    assert match_country(text) == code


@pytest.mark.parametrize("text", ["Nige", "Atlantis", "Sud", "XX", "Guinea Equatorial Bissau"])
def test_unknown_country_is_not_guessed(text):
    assert match_country(text) is None


def test_countries_are_separated_by_semicolons_line_breaks_or_commas():
    assert sheet.parse_list("Niger; Mali\nChad, Sudan", match_country) == (
        ["NE", "ML", "TD", "SD"],
        [],
    )


def test_comma_inside_a_country_name_does_not_split_it():
    assert sheet.parse_list("Congo, The Democratic Republic of the, Niger", match_country) == (
        ["CD", "NE"],
        [],
    )


def test_countries_cell_with_an_unknown_name_is_an_error_naming_row_column_and_value():
    errors = errors_of(csv_bytes([row(Countries="Niger; Atlantis")]))
    assert errors == [
        "row 2, column Countries: “Atlantis” is not a country the portal recognises. Write the "
        "country's name in English or French, or its ISO code (for example SN or SEN)."
    ]


def test_countries_are_stored_once_each_sorted():
    entry = one_row(csv_bytes([row(Countries="Senegal; SN; Niger")]))
    assert entry.countries == ("NE", "SN")


# --- References, titles, closed columns --------------------------------------------------


def test_numeric_reference_in_xlsx_is_1003_never_1003_0():
    entry = one_row(xlsx_bytes([{**GOOD, "Reference": 1003.0}]), "entries.xlsx")
    assert entry.reference == "1003"


def test_integer_reference_in_xlsx_is_kept_as_text():
    assert one_row(xlsx_bytes([{**GOOD, "Reference": 42}]), "e.xlsx").reference == "42"


def test_title_is_trimmed_and_required():
    assert one_row(csv_bytes([row(Title="  A   title  ")])).title == "A title"
    assert errors_of(csv_bytes([row(Title="")])) == [
        "row 2, column Title: This column must be filled in."
    ]


def test_title_longer_than_500_characters_is_an_error():
    (error,) = errors_of(csv_bytes([row(Title="x" * 501)]))
    assert error.startswith("row 2, column Title:") and "longer than 500 characters" in error


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Project", "project"),
        ("PROJECT", "project"),
        ("projet", "project"),
        ("Policy", "policy"),
        ("Politique", "policy"),
    ],
)
def test_type_in_english_or_french_any_case(text, value):
    assert one_row(csv_bytes([row(Type=text)])).type == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Planned", "planned"),
        ("ongoing", "ongoing"),
        ("COMPLETED", "completed"),
        ("Prévu", "planned"),
        ("En cours", "ongoing"),
        ("Terminé", "completed"),
        ("termine", "completed"),
    ],
)
def test_status_in_english_or_french_any_case(text, value):
    assert one_row(csv_bytes([row(Status=text)])).status == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Rabat Process", "rabat"),
        ("rabat", "rabat"),
        ("RP", "rabat"),
        ("Khartoum Process", "khartoum"),
        ("Khartoum", "khartoum"),
        ("kp", "khartoum"),
        ("Both", "both"),
        ("", ""),
    ],
)
def test_dialogue_values(text, value):
    assert one_row(csv_bytes([row(Dialogue=text)])).dialogue == value


def test_unknown_status_is_an_error_listing_the_accepted_values():
    assert errors_of(csv_bytes([row(Status="Finished")])) == [
        "row 2, column Status: “Finished” is not one of the accepted values "
        "(Planned, Ongoing, Completed)."
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3", 3),
        ("Domain 3", 3),
        ("domaine 3", 3),
        ("3. Protection and asylum", 3),
        ("Protection and asylum", 3),
        ("Protection et asile", 3),
        ("Legal migration and mobility", 2),
        ("Return, readmission and reintegration", 5),
    ],
)
def test_main_domain_as_number_label_or_name(text, number):
    assert (
        one_row(csv_bytes([row(**{"JVAP domain": text, "Secondary domains": ""})])).domain == number
    )


def test_domain_6_is_an_error():
    (error,) = errors_of(csv_bytes([row(**{"JVAP domain": "6"})]))
    assert error.startswith("row 2, column JVAP domain: “6” is not a JVAP domain")


def test_secondary_domains_separated_by_semicolons_or_commas_even_with_commas_in_names():
    entry = one_row(
        csv_bytes(
            [
                row(
                    **{
                        "JVAP domain": "1",
                        "Secondary domains": "2, Return, readmission and reintegration; 3",
                    }
                )
            ]
        )
    )
    assert entry.secondary_domains == (2, 3, 5)


def test_secondary_domains_leave_out_the_main_domain():
    entry = one_row(csv_bytes([row(**{"JVAP domain": "2", "Secondary domains": "2;4"})]))
    assert entry.secondary_domains == (4,)


# --- Budgets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "amount"),
    [
        ("1250000", "1250000.00"),
        ("€ 1 250 000", "1250000.00"),
        ("1\u00a0250\u00a0000 EUR", "1250000.00"),
        ("1,250,000.50", "1250000.50"),
        ("1'250'000", "1250000.00"),
        ("1’250’000", "1250000.00"),
        ("EUR 300", "300.00"),
        ("300 euros", "300.00"),
        (1250000, "1250000.00"),
        (1250000.5, "1250000.50"),
        ("", None),
        (None, None),
    ],
)
def test_budget_formats(value, amount):
    assert parse_budget(value) == (Decimal(amount) if amount else None)


@pytest.mark.parametrize("value", ["-5", -5, "€ -100", "1,5", "lots", "12.000,00", "1 2 3"])
def test_bad_or_negative_budgets_are_refused(value):
    with pytest.raises(CellError):
        parse_budget(value)


def test_negative_budget_message_says_it_cannot_be_below_zero():
    (error,) = errors_of(csv_bytes([row(**{"Budget (EUR)": "-5"})]))
    assert error == "row 2, column Budget (EUR): “-5” is negative; a budget cannot be below zero."


# --- Dates --------------------------------------------------------------------------------


def test_dates_as_real_dates_iso_text_and_day_month_year():
    assert parse_date(datetime.datetime(2021, 3, 4), is_end=False) == datetime.date(2021, 3, 4)
    assert parse_date(datetime.date(2021, 3, 4), is_end=False) == datetime.date(2021, 3, 4)
    assert parse_date("2021-03-04", is_end=False) == datetime.date(2021, 3, 4)
    assert parse_date("04/03/2021", is_end=False) == datetime.date(2021, 3, 4)


def test_year_alone_means_1_january_for_a_start_and_31_december_for_an_end():
    entry = one_row(csv_bytes([row(**{"Start date": "2019", "End date": "2021"})]))
    assert (entry.start_date, entry.end_date) == (
        datetime.date(2019, 1, 1),
        datetime.date(2021, 12, 31),
    )


def test_year_alone_as_a_number_cell_in_xlsx():
    entry = one_row(xlsx_bytes([{**GOOD, "Start date": 2019, "End date": 2021.0}]), "e.xlsx")
    assert (entry.start_date, entry.end_date) == (
        datetime.date(2019, 1, 1),
        datetime.date(2021, 12, 31),
    )


def test_real_spreadsheet_dates_in_xlsx():
    entry = one_row(
        xlsx_bytes(
            [
                {
                    **GOOD,
                    "Start date": datetime.datetime(2020, 5, 1),
                    "End date": datetime.date(2021, 1, 31),
                }
            ]
        ),
        "e.xlsx",
    )
    assert (entry.start_date, entry.end_date) == (
        datetime.date(2020, 5, 1),
        datetime.date(2021, 1, 31),
    )


@pytest.mark.parametrize("value", ["31/02/2020", "2020-13-01", "March 2020", "20/20", "1800"])
def test_impossible_or_unreadable_dates_are_refused(value):
    with pytest.raises(CellError):
        parse_date(value, is_end=False)


def test_end_before_start_is_an_error_on_the_end_date():
    assert errors_of(csv_bytes([row(**{"Start date": "2021", "End date": "2020"})])) == [
        "row 2, column End date: “2020” is before the start date (2021-01-01)."
    ]


def test_end_in_the_same_year_as_a_start_year_is_fine():
    entry = one_row(csv_bytes([row(**{"Start date": "2021", "End date": "2021"})]))
    assert entry.end_date == datetime.date(2021, 12, 31)


# --- Headers, rows, files -----------------------------------------------------------------


def test_header_row_below_banner_rows_in_any_order_case_and_spacing():
    headers = [f"  {h.upper()} " for h in reversed(sheet.HEADERS)]
    data = csv_bytes([], headers=headers, above=[["JVAP template"], ["Fill in below"], []])
    data += csv_bytes(
        [dict(zip(headers, reversed([GOOD[h] for h in sheet.HEADERS]), strict=True))],
        headers=headers,
    ).split(b"\r\n", 1)[1]
    result = parse_file(data, "e.csv")
    assert result.errors == []
    assert result.header_row == 4
    assert result.rows[0].reference == "1003" and result.rows[0].row_number == 5


def test_unknown_columns_are_ignored_with_a_warning():
    headers = [*sheet.HEADERS, "Notes"]
    result = parse_file(csv_bytes([{**GOOD, "Notes": "x"}], headers=headers), "e.csv")
    assert result.errors == []
    assert result.warnings == ["The column “Notes” is not part of the template and was ignored."]


def test_blank_rows_are_skipped_and_rows_keep_their_sheet_numbers():
    data = xlsx_bytes([GOOD, {}, {**GOOD, "Reference": "1004"}], above=[["Banner"]])
    result = parse_file(data, "e.xlsx")
    assert result.errors == []
    assert [r.row_number for r in result.rows] == [3, 5]


def test_csv_with_semicolons_and_a_utf8_bom():
    data = b"\xef\xbb\xbf" + csv_bytes([row(Countries="Sénégal")], delimiter=";")
    assert one_row(data).countries == ("SN",)


def test_windows_1252_csv_with_accents():
    data = csv_bytes(
        [row(Countries="Sénégal", Status="Terminé", Title="Coopération")], encoding="cp1252"
    )
    entry = one_row(data)
    assert (entry.countries, entry.status, entry.title) == (("SN",), "completed", "Coopération")


def test_duplicate_reference_in_a_file_names_the_first_row():
    errors = errors_of(csv_bytes([GOOD, row(Title="Other")]))
    assert errors == [
        "row 3, column Reference: “1003” is already used in row 2 of this file; each reference "
        "may appear once."
    ]


def test_every_error_of_a_file_is_reported_not_just_the_first():
    errors = errors_of(csv_bytes([row(Type="x"), row(Reference="2", Status="y")]))
    assert [e.split(":")[0] for e in errors] == ["row 2, column Type", "row 3, column Status"]


def test_website_starting_with_www_gets_https():
    assert one_row(csv_bytes([row(Website="www.example.org")])).website == "https://www.example.org"


def test_our_own_formula_escape_is_removed_on_import():
    assert one_row(csv_bytes([row(Title="'=Not a formula")])).title == "=Not a formula"


def test_row_limit_is_configurable_and_has_its_own_message():
    result = parse_file(
        csv_bytes([row(Reference=str(n)) for n in range(3)]),
        "e.csv",
        limits=sheet.ParseLimits(max_rows=2),
    )
    assert [str(e) for e in result.errors] == [
        "The file has more than 2 data rows, the most one upload accepts. "
        "Split it into several files."
    ]


def test_size_limit_is_configurable_and_has_its_own_message():
    result = parse_file(csv_bytes([GOOD]), "e.csv", limits=sheet.ParseLimits(max_bytes=100))
    assert [str(e) for e in result.errors] == [
        "The file is larger than 0.0 MB, the most one upload accepts."
    ]
