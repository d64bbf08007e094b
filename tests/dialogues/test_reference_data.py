"""The reference data loaded from fixtures/reference/: re-runs over it keep it as it is (or
bring it back in line with --update), and it is faithful to the seeds. (Loading into an empty
database and bad files: test_loading_reference_data.py.)"""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from dialogues import reference
from dialogues.models import (
    ChairTerm,
    Dialogue,
    Domain,
    Meeting,
    Membership,
    ProgrammePhase,
    StrategicFramework,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "reference"

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data(reference_data_of_the_module):
    """Loaded once for the module (every test here reads it); each test's writes, re-runs of
    the loader included, are rolled back after it."""


ROME_SIGNATORIES = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "DJ", "EG", "ER", "EE", "ET", "FI", "FR", "DE",
    "GR", "HU", "IE", "IT", "KE", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI",
    "SO", "SS", "ES", "SD", "SE", "TN", "GB",
}  # fmt: skip


def table_counts() -> dict[str, int]:
    """Rows in every table, many-to-many link tables included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def dialogue(slug: str) -> Dialogue:
    return Dialogue.objects.get(slug=slug)


def states(queryset) -> set[str]:
    return {str(code) for code in queryset.states().values_list("country", flat=True)}


# --- Loading --------------------------------------------------------------------------------


def test_loading_twice_adds_no_row_to_any_table(reference_data):
    before = table_counts()

    call_command("load_reference_data", verbosity=0)

    assert table_counts() == before


def test_a_second_load_reports_nothing_created_or_updated(reference_data):
    assert reference.load(FIXTURES) == {"created": 0, "updated": 0}


def test_staff_edits_survive_a_rerun(reference_data):
    rabat = dialogue("rabat-process")
    rabat.summary = "Edited by the secretariat."
    rabat.save()
    Membership.objects.filter(dialogue=rabat, country="SN").update(note="Edited note")

    call_command("load_reference_data", verbosity=0)

    assert dialogue("rabat-process").summary == "Edited by the secretariat."
    assert Membership.objects.get(dialogue=rabat, country="SN").note == "Edited note"


def test_a_rerun_recreates_a_missing_reference_record(reference_data):
    Meeting.objects.filter(slug="valletta-summit-on-migration-2015").delete()

    counts = reference.load(FIXTURES)

    assert counts["created"] == 1
    summit = Meeting.objects.get(slug="valletta-summit-on-migration-2015")
    assert set(summit.dialogues.values_list("slug", flat=True)) == {
        "jvap-follow-up",
        "rabat-process",
        "khartoum-process",
    }


def test_update_brings_edited_records_back_in_line_with_the_files(reference_data):
    rabat = dialogue("rabat-process")
    original_summary = rabat.summary
    rabat.summary = "Edited by the secretariat."
    rabat.save()
    meeting = Meeting.objects.get(slug="rabat-process-ministerial-conference-cadiz-2022")
    meeting.dialogues.clear()

    call_command("load_reference_data", "--update", verbosity=0)

    assert dialogue("rabat-process").summary == original_summary
    assert list(meeting.dialogues.values_list("slug", flat=True)) == ["rabat-process"]


def test_update_counts_only_the_records_that_changed(reference_data):
    Dialogue.objects.filter(slug="c2cmmd").update(website="https://example.org")

    assert reference.load(FIXTURES, update=True) == {"created": 0, "updated": 1}


# --- What the real data says ----------------------------------------------------------------


@pytest.mark.parametrize(
    "slug,date,chair",
    [
        ("rabat-process", datetime.date(2026, 3, 1), "CH"),
        ("rabat-process", datetime.date(2025, 3, 1), "NG"),
        ("rabat-process", datetime.date(2023, 6, 1), "MA"),
        ("rabat-process", datetime.date(2017, 6, 1), "BE"),
        ("khartoum-process", datetime.date(2025, 5, 1), "FR"),
        ("khartoum-process", datetime.date(2024, 6, 1), "EG"),
        ("khartoum-process", datetime.date(2021, 6, 1), "NL"),
    ],
)
def test_the_chair_on_a_date_comes_from_the_dated_terms(reference_data, slug, date, chair):
    assert dialogue(slug).chair_on(date).country == chair


def test_the_c2cmmd_is_co_chaired_by_the_european_commission_and_the_au_commission(
    reference_data,
):
    chairs = dialogue("c2cmmd").chairs_on()

    assert {term.organisation.acronym for term in chairs} == {"EC", "AUC"}
    history = dialogue("c2cmmd").chair_history()
    assert len(history.current) == 2 and history.is_shared
    assert history.past == []


def test_the_c2cmmd_continues_the_mme_partnership(reference_data):
    c2cmmd = dialogue("c2cmmd")

    assert c2cmmd.predecessor.slug == "mme-partnership"
    assert not c2cmmd.predecessor.is_active


def test_khartoum_members_are_the_rome_signatories_and_those_who_joined_later(reference_data):
    memberships = dialogue("khartoum-process").memberships.current()

    assert states(memberships) == ROME_SIGNATORIES | {"LY", "NO", "CH", "UG"}
    signatory = memberships.get(country="ER")
    assert signatory.note == "Signatory of the Rome Declaration"
    assert signatory.note_fr == "Signataire de la Déclaration de Rome"
    assert memberships.get(country="NO").note != signatory.note


def test_rabat_has_57_partner_and_observer_states_and_two_partner_organisations(
    reference_data,
):
    memberships = dialogue("rabat-process").memberships.current()

    assert len(states(memberships.filter(role=Membership.Role.MEMBER))) == 55
    assert states(memberships.filter(role=Membership.Role.OBSERVER)) == {"DZ", "LY"}
    partner_organisations = memberships.organisations().filter(role=Membership.Role.MEMBER)
    assert {m.organisation.acronym for m in partner_organisations} == {"EC", "ECOWAS"}


def test_rabat_membership_changes_are_dated(reference_data):
    rabat = dialogue("rabat-process")
    members_on = lambda date: states(  # noqa: E731
        rabat.memberships.on(date).filter(role=Membership.Role.MEMBER)
    )

    assert {"EG", "LY", "GB"} <= members_on(datetime.date(2013, 1, 1))
    assert not {"EG", "LY"} & members_on(datetime.date(2015, 1, 1))
    assert "GB" in members_on(datetime.date(2019, 1, 1))
    assert "GB" not in members_on(datetime.date(2021, 1, 1))


def test_rabat_steering_committee_as_the_seed_gives_it(reference_data):
    seats = dialogue("rabat-process").steering_committee_on(datetime.date(2023, 6, 1))

    assert states(seats) == {
        "BE", "FR", "IT", "PT", "ES", "CH", "NL", "BF", "GQ", "ML", "MA", "NE", "NG", "SN",
    }  # fmt: skip
    assert {seat.organisation.acronym for seat in seats.organisations()} == {"EC", "ECOWAS"}


def test_khartoum_steering_committee_before_and_in_2025(reference_data):
    khartoum = dialogue("khartoum-process")
    in_2023 = khartoum.steering_committee_on(datetime.date(2023, 6, 1))
    in_2025 = khartoum.steering_committee_on(datetime.date(2025, 6, 1))

    assert states(in_2023) == {"IT", "FR", "DE", "NL", "SE", "EG", "ER", "ET", "SS", "SD"}
    assert states(in_2025) == states(in_2023) | {"FI", "UG", "SO"}
    somalia = in_2025.get(country="SO")
    assert somalia.note == "Temporarily holds Sudan's seat"
    assert somalia.note_fr == "Occupe temporairement le siège du Soudan"
    for seats in (in_2023, in_2025):
        assert {seat.organisation.acronym for seat in seats.organisations()} == {
            "EC",
            "EEAS",
            "AUC",
        }


def test_the_prague_process_strategic_group_and_its_chairs(reference_data):
    prague = dialogue("prague-process")

    assert states(prague.steering_committee_on(datetime.date(2018, 6, 1))) == {
        "CZ",
        "HU",
        "LT",
        "PL",
    }
    assert prague.chair_on(datetime.date(2015, 1, 1)).country == "PL"
    assert prague.chair_on(datetime.date(2018, 6, 1)).country == "CZ"


def test_the_programme_phase_is_mmd_iii_fully_funded_by_the_eu(reference_data):
    phase = ProgrammePhase.objects.get(is_current=True)

    assert phase.name == "MMD III"
    assert phase.budget_eur == phase.eu_contribution_eur == 22_000_000
    assert phase.donor.acronym == "EC"
    assert phase.implementing_organisation.acronym == "ICMPD"
    assert phase.achievement_lines()


def test_the_five_jvap_domains_have_english_and_french_names(reference_data):
    domains = Domain.objects.all()

    assert [domain.number for domain in domains] == [1, 2, 3, 4, 5]
    assert all(domain.name and domain.name_fr for domain in domains)


def test_the_cadiz_action_plan_has_five_areas_matching_the_jvap_domains(reference_data):
    cadiz = StrategicFramework.objects.get(slug="rabat-cadiz-action-plan-2023-2027")

    assert cadiz.is_current
    areas = cadiz.elements.filter(level="area").order_by("number")
    assert [area.domain.number for area in areas] == [1, 2, 3, 4, 5]


def test_the_mmd_dialogues_and_related_dialogues_are_all_there(reference_data):
    assert set(Dialogue.objects.filter(is_mmd_component=True).values_list("slug", flat=True)) == {
        "rabat-process",
        "khartoum-process",
        "c2cmmd",
        "jvap-follow-up",
        "mmd-grant-facility",
    }
    assert {
        "budapest-process",
        "prague-process",
        "mtm-dialogue",
        "euromed-migration-v",
        "mme-partnership",
    } <= set(Dialogue.objects.values_list("slug", flat=True))


def models_with(field_name: str):
    return [
        model
        for model in apps.get_app_config("dialogues").get_models()
        if any(field.name == field_name for field in model._meta.get_fields())
    ]


def test_every_reference_record_keeps_a_source_note(reference_data):
    for model in models_with("source_note"):
        missing = model.objects.filter(source_note="")
        assert not missing.exists(), f"{model.__name__} without a source note: {list(missing)}"


def test_every_english_text_has_its_french_twin(reference_data):
    for model in apps.get_app_config("dialogues").get_models():
        names = {field.name for field in model._meta.get_fields()}
        for name in sorted(n for n in names if f"{n}_fr" in names):
            untranslated = model.objects.exclude(**{name: ""}).filter(**{f"{name}_fr": ""})
            assert not untranslated.exists(), f"{model.__name__}.{name}: {list(untranslated)}"


def test_chair_terms_of_the_real_data_never_share_a_start_except_co_chairs(reference_data):
    starts = [(term.dialogue.slug, term.start) for term in ChairTerm.objects.all()]
    shared = {key for key in starts if starts.count(key) > 1}

    assert {slug for slug, _ in shared} <= {"c2cmmd"}


def test_french_pages_name_places_and_short_names_in_french(reference_data, client):
    """Cities, the places where frameworks were adopted and the dialogues' short names are in
    French on French pages where French writes them differently, in English elsewhere."""
    meetings = client.get("/fr/meetings/?dialogue=khartoum-process").content.decode()
    assert "La Haye, Pays-Bas" in meetings and "The Hague" not in meetings
    jvap = client.get("/fr/dialogues/jvap-follow-up/").content.decode()
    assert "Sommet de La Valette sur la migration" in jvap
    assert "Valletta Summit on Migration" not in jvap
    assert '<li aria-current="page">PAVC</li>' in jvap
    grant_facility = client.get("/fr/meetings/?dialogue=mmd-grant-facility").content.decode()
    assert "Grant Facility" not in grant_facility.split('id="results-heading"')[1]
    english = client.get("/meetings/?dialogue=khartoum-process").content.decode()
    assert "The Hague, Netherlands" in english
    the_hague = "/meetings/khartoum-process-senior-officials-meeting-the-hague-2020/"
    assert "La Haye, " in client.get("/fr" + the_hague).content.decode()
    response = client.get("/fr/meetings/export.csv?dialogue=khartoum-process")
    download = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "La Haye" in download and "The Hague" not in download
    response = client.get("/fr/meetings/export.csv?dialogue=jvap-follow-up")
    download = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "PAVC" in download
