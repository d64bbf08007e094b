"""Every listing's download carries a code column beside each coded value's label: country ISO
code and name, domain number and name, type, kind, status and language codes and labels."""

import csv
import io

import pytest

from dialogues.models import Organisation
from tests.grants.factories import GrantFactory, organisation
from tests.http import response_body
from tests.jvap.factories import domains_by_number

pytestmark = pytest.mark.django_db


def _rows(client, path) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, path
    return list(csv.DictReader(io.StringIO(response_body(response).decode("utf-8-sig"))))


def test_meetings_carry_codes_beside_labels(client, world):
    dakar = next(
        row for row in _rows(client, "/meetings/export.csv") if row["Title"].startswith("Dakar")
    )

    assert (dakar["Type (code)"], dakar["Type"]) == (
        "ministerial-conference",
        "Ministerial conference",
    )
    assert (dakar["Country (ISO code)"], dakar["Country"]) == ("SN", "Senegal")
    assert (dakar["Status (code)"], dakar["Status"]) == ("held", "Held")
    assert (dakar["Dialogues (code)"], dakar["Dialogues"]) == ("rabat-process", "Rabat")
    french = _rows(client, "/fr/meetings/export.csv?type=ministerial-conference")[0]
    assert (french["Pays (code ISO)"], french["Pays"]) == ("SN", "Sénégal")


def test_documents_dialogues_and_organisations_carry_codes_beside_labels(client, world):
    document = _rows(client, "/documents/export.csv")[0]
    assert document["Language (code)"] in {"en", "fr", "ar", "pt", "multi"}
    assert document["Kind (code)"]
    dialogues = _rows(client, "/dialogues/export.csv")
    assert all(row["Kind (code)"] and row["Kind"] for row in dialogues)
    organisation(Organisation.Type.CIVIL_SOCIETY, "ML", name="Xqseated")
    organisations = _rows(client, "/organisations/export.csv")
    assert all(row["Type (code)"] and row["Type"] for row in organisations)
    seated = next(row for row in organisations if row["Name"] == "Xqseated")
    assert (seated["Type (code)"], seated["Country (ISO code)"], seated["Country"]) == (
        Organisation.Type.CIVIL_SOCIETY,
        "ML",
        "Mali",
    )


def test_grants_carry_codes_beside_labels(client, world):
    grant = GrantFactory(title="Xqcoded", countries=["SN", "ML"])
    grant.domains.add(domains_by_number()[2])

    row = next(r for r in _rows(client, "/grants/export.csv") if r["Title"] == "Xqcoded")

    assert (row["Status (code)"], row["Status"]) == (grant.status, grant.get_status_display())
    assert (row["Countries of implementation (ISO codes)"], row["Countries of implementation"]) == (
        "ML; SN",
        "Mali; Senegal",
    )
    assert (row["JVAP domains"], row["JVAP domains (names)"]) == (
        "2",
        "Legal migration and mobility",
    )
