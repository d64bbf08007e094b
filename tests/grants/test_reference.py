"""The Grant Facility's reference data loads idempotently and holds only sourced facts."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from core.reference import ReferenceDataError
from grants import demo, reference
from grants.models import Call, Grant

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "reference"


def test_loading_twice_creates_no_duplicates():
    first = reference.load(FIXTURES)
    second = reference.load(FIXTURES)
    assert first == {"created": 2, "updated": 0}
    assert second == {"created": 0, "updated": 0}
    assert Call.objects.count() == 2


def test_the_calls_carry_the_published_facts():
    reference.load(FIXTURES)
    first, second = Call.objects.get(reference="Call 1"), Call.objects.get(reference="Call 2")
    assert first.concept_note_deadline == datetime.date(2024, 6, 17)
    assert (first.grant_min_eur, first.grant_max_eur) == (Decimal(300_000), Decimal(1_500_000))
    assert (first.expected_grants_min, first.expected_grants_max) == (10, 15)
    assert (second.grant_min_eur, second.grant_max_eur) == (Decimal(100_000), Decimal(150_000))
    assert (second.duration_months_min, second.max_countries, second.min_au_member_states) == (
        6,
        3,
        1,
    )
    assert second.max_co_applicants == 1
    assert first.status_on(datetime.date(2025, 1, 1)) == "closed"


def test_existing_records_are_left_alone_unless_update():
    reference.load(FIXTURES)
    Call.objects.filter(reference="Call 1").update(title="Edited by staff")
    reference.load(FIXTURES)
    assert Call.objects.get(reference="Call 1").title == "Edited by staff"
    counts = reference.load(FIXTURES, update=True)
    assert counts == {"created": 0, "updated": 1}
    assert Call.objects.get(reference="Call 1").title != "Edited by staff"


def test_every_record_has_a_source_note_and_a_french_text():
    calls = json.loads((FIXTURES / "grant_calls.json").read_text())["records"]
    grants = json.loads((FIXTURES / "grants.json").read_text())["records"]
    for record in calls + grants:
        assert record["source_note"]
        assert record["title_fr"] and record["summary_fr"]


def test_no_grant_is_invented():
    reference.load(FIXTURES)
    assert Grant.objects.count() == 0


def test_demo_grants_are_labelled_and_bulk_created(django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        counts = demo.seed_grants(30)
    assert counts["grants"] == 30
    assert Grant.objects.count() == 30
    assert all(
        title.startswith("Demo –") for title in Grant.objects.values_list("title", flat=True)
    )
    assert set(Grant.objects.values_list("source_note", flat=True)) == {demo.DEMO_SOURCE_NOTE}
    assert all(grant.consortium.filter(role="lead").count() == 1 for grant in Grant.objects.all())
    demo.seed_grants(5)
    assert Grant.objects.count() == 35


def test_a_call_without_a_source_note_is_named_in_a_reference_data_error(tmp_path):
    for name in ("grant_calls.json", "grants.json"):
        (tmp_path / name).write_text((FIXTURES / name).read_text(encoding="utf-8"))
    calls = json.loads((tmp_path / "grant_calls.json").read_text())
    calls["records"][1].pop("source_note")
    (tmp_path / "grant_calls.json").write_text(json.dumps(calls))

    with pytest.raises(
        ReferenceDataError,
        match=r"grant_calls\.json: record 2 \(call-2\): 'source_note' is missing",
    ):
        reference.load(tmp_path)

    assert not Call.objects.exists()
