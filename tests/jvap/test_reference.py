"""The reporting partners of the reference data (issue 15): after `make run` every current
member state and organisation of the dialogues that report to the JVAP is a partner, with a
source note; loading again creates nothing and keeps the secretariat's edits."""

from pathlib import Path

import pytest
from django.conf import settings

from dialogues.models import Membership
from jvap import reference
from jvap.models import ReportingPartner

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "reference"

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data(reference_data_of_the_module):
    """Loaded once for the module (every test here reads it); each test's writes, re-runs of
    the loader included, are rolled back after it. (A bad partners file, refused on an empty
    database: test_reference_files.py.)"""


def codes() -> set[str]:
    return set(ReportingPartner.objects.values_list("code", flat=True))


def test_every_current_member_of_the_rabat_and_khartoum_processes_reports(reference_data):
    members = Membership.objects.current().filter(
        dialogue__slug__in=["rabat-process", "khartoum-process"], role=Membership.Role.MEMBER
    )
    states = {str(code) for code in members.states().values_list("country", flat=True)}

    assert states <= codes()
    assert {"SN", "ET", "UG", "CH", "GB", "EG"} <= codes()


def test_the_jvap_follow_ups_partner_organisations_report(reference_data):
    assert {"AUC", "EC", "EEAS", "Frontex", "ECOWAS", "IGAD", "IOM", "ILO", "UNHCR"} <= codes()
    council = ReportingPartner.objects.get(organisation__slug="council-of-the-eu")
    assert council.code == "Council of the European Union"


def test_observers_and_former_members_only_are_not_partners(reference_data):
    # Algeria is an observer of the Rabat Process; Iceland is in no dialogue.
    assert not ReportingPartner.objects.filter(country__in=["DZ", "IS"]).exists()


def test_each_partner_has_a_source_note_naming_its_dialogues(reference_data):
    senegal = ReportingPartner.objects.get(code="SN")
    kenya = ReportingPartner.objects.get(code="KE")
    tunisia = ReportingPartner.objects.get(code="TN")

    assert "Rabat Process" in senegal.source_note and "Seed" in senegal.source_note
    assert "Khartoum Process" in kenya.source_note
    assert "Rabat Process" in tunisia.source_note and "Khartoum Process" in tunisia.source_note
    assert not ReportingPartner.objects.filter(source_note="").exists()


def test_loading_again_creates_nothing_and_keeps_the_secretariats_edits(reference_data):
    ReportingPartner.objects.filter(code="SN").update(source_note="Edited by the secretariat.")
    ReportingPartner.objects.filter(code="ML").delete()
    count = ReportingPartner.objects.count()

    assert reference.load(FIXTURES) == {"created": 1, "updated": 0}
    assert reference.load(FIXTURES) == {"created": 0, "updated": 0}
    assert ReportingPartner.objects.count() == count + 1
    assert ReportingPartner.objects.get(code="SN").source_note == "Edited by the secretariat."

    assert reference.load(FIXTURES, update=True) == {"created": 0, "updated": 1}
    assert "Rabat Process" in ReportingPartner.objects.get(code="SN").source_note


def test_a_partner_made_by_hand_with_another_code_is_not_duplicated(reference_data):
    ReportingPartner.objects.filter(code="SN").update(code="SEN")

    assert reference.load(FIXTURES) == {"created": 0, "updated": 0}
    assert ReportingPartner.objects.filter(country="SN").count() == 1
