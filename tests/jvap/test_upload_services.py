"""Previewing and confirming uploads: new, changed, unchanged, refused whole, history kept."""

import datetime
from decimal import Decimal

import pytest

from jvap import services
from jvap.models import EntryChange, EntryUpload, JvapEntry

from .factories import CampaignFactory, ReportingPartnerFactory, make_domains
from .sheets import GOOD, csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    make_domains()
    return ReportingPartnerFactory(country="SN")


def confirm(data, partner, **kwargs):
    return services.upload_confirm(data=data, filename="entries.csv", partner=partner, **kwargs)


def test_first_upload_creates_submitted_entries_with_all_their_values(partner, secretariat_user):
    campaign = CampaignFactory(year=2025)
    preview, upload = confirm(csv_bytes([GOOD]), partner, user=secretariat_user, campaign=campaign)
    assert preview.summary == "1 new, 0 updated, 0 unchanged"
    entry = JvapEntry.objects.get()
    assert entry.review_state == JvapEntry.ReviewState.SUBMITTED
    assert (entry.reference, entry.partner, entry.campaign_year) == ("1003", partner, 2025)
    assert entry.domain.number == 4
    assert [d.number for d in entry.secondary_domains.all()] == [3]
    assert sorted(c.country.code for c in entry.countries.all()) == ["NE", "SN"]
    assert [o.name for o in entry.organisations.filter(role="implementer")] == ["IOM", "ICMPD"]
    assert entry.budget_eur == Decimal("1250000")
    assert (entry.start_date, entry.end_date) == (
        datetime.date(2020, 1, 1),
        datetime.date(2022, 12, 31),
    )
    assert (upload.state, upload.new_count, upload.uploaded_by) == (
        "confirmed",
        1,
        secretariat_user,
    )
    assert upload.file.read() == csv_bytes([GOOD])


def test_same_file_twice_changes_nothing(partner):
    data = csv_bytes([GOOD, row(Reference="1004")])
    confirm(data, partner)
    before = list(JvapEntry.objects.order_by("pk").values())
    preview, _upload = confirm(data, partner)
    assert preview.summary == "0 new, 0 updated, 2 unchanged"
    assert list(JvapEntry.objects.order_by("pk").values()) == before
    assert EntryChange.objects.count() == 2


def test_same_reference_updates_never_duplicates_and_lists_changed_fields(partner):
    confirm(csv_bytes([GOOD]), partner)
    data = csv_bytes([row(Title="New title", Countries="Niger")])
    preview = services.upload_preview(data=data, filename="e.csv", partner=partner)
    assert preview.summary == "0 new, 1 updated, 0 unchanged"
    assert preview.changed[0].changes == {
        "Title": ("Border management training", "New title"),
        "Countries": ("Niger; Senegal", "Niger"),
    }
    confirm(data, partner)
    entry = JvapEntry.objects.get()
    assert entry.title == "New title"
    assert [c.country.code for c in entry.countries.all()] == ["NE"]


def test_update_of_a_published_entry_sends_it_back_for_validation(partner, secretariat_user):
    confirm(csv_bytes([GOOD]), partner, publish=True, user=secretariat_user)
    assert JvapEntry.objects.published().count() == 1
    confirm(csv_bytes([row(Title="Changed")]), partner)
    assert JvapEntry.objects.published().count() == 0
    assert JvapEntry.objects.get().review_state == "submitted"


def test_history_records_who_what_and_from_which_upload(partner, secretariat_user):
    _preview, first = confirm(csv_bytes([GOOD]), partner, user=secretariat_user)
    _preview, second = confirm(csv_bytes([row(Title="Renamed")]), partner, user=secretariat_user)
    updated, created = EntryChange.objects.order_by("-pk")
    assert (created.action, created.upload, created.changed_by) == (
        "created",
        first,
        secretariat_user,
    )
    assert created.changes["Title"] == ["", "Border management training"]
    assert (updated.action, updated.upload) == ("updated", second)
    assert updated.changes == {"Title": ["Border management training", "Renamed"]}


def test_a_file_with_one_bad_row_is_refused_whole(partner):
    data = csv_bytes([GOOD, row(Reference="1004", Countries="Atlantis")])
    with pytest.raises(services.UploadRefused) as refusal:
        confirm(data, partner)
    assert [str(e).split(":")[0] for e in refusal.value.preview.errors] == [
        "row 3, column Countries"
    ]
    assert JvapEntry.objects.count() == 0
    assert EntryUpload.objects.count() == 0


def test_publish_marks_entries_validated_and_public(partner, secretariat_user):
    confirm(csv_bytes([GOOD]), partner)
    confirm(csv_bytes([GOOD]), partner, publish=True, user=secretariat_user)
    entry = JvapEntry.objects.get()
    assert entry.review_state == "published" and entry.reviewed_by == secretariat_user


def test_publishing_and_returning_record_history(partner, secretariat_user):
    confirm(csv_bytes([GOOD]), partner)
    services.entries_review(
        entries=JvapEntry.objects.all(),
        user=secretariat_user,
        action=EntryChange.Action.RETURNED,
        comment="Budget?",
    )
    entry = JvapEntry.objects.get()
    assert (entry.review_state, entry.review_comment) == ("returned", "Budget?")
    services.entries_review(
        entries=JvapEntry.objects.all(), user=secretariat_user, action=EntryChange.Action.PUBLISHED
    )
    assert JvapEntry.objects.get().review_state == "published"
    assert list(EntryChange.objects.order_by("pk").values_list("action", flat=True)) == [
        "created",
        "returned",
        "published",
    ]


def test_entries_of_another_partner_with_the_same_reference_are_untouched(partner):
    mali = ReportingPartnerFactory(country="ML")
    confirm(csv_bytes([GOOD]), mali)
    preview, _upload = confirm(csv_bytes([row(Title="Senegal's own")]), partner)
    assert preview.summary == "1 new, 0 updated, 0 unchanged"
    assert JvapEntry.objects.get(partner=mali).title == "Border management training"


def test_an_upload_is_confirmed_only_once(partner):
    data = csv_bytes([GOOD])
    upload = services.upload_store(
        data=data, filename="e.csv", partner=partner, user=None, campaign=None
    )
    services.upload_confirm(data=data, filename="e.csv", partner=partner, upload=upload)
    with pytest.raises(services.UploadAlreadyHandled):
        services.upload_confirm(data=data, filename="e.csv", partner=partner, upload=upload)
    upload.refresh_from_db()
    assert (upload.state, upload.new_count) == ("confirmed", 1)


def test_organisation_names_link_to_portal_organisations(partner):
    from tests.dialogues.factories import OrganisationFactory

    iom = OrganisationFactory(name="International Organization for Migration", acronym="IOM")
    confirm(csv_bytes([row(**{"Implementing organisations": "iom; Local NGO"})]), partner)
    linked = dict(JvapEntry.objects.get().organisations.values_list("name", "organisation"))
    assert linked == {"iom": iom.pk, "Local NGO": None, "EU": None}


def test_stored_rows_read_for_comparison_equal_the_export_rows(partner):
    from jvap.exports import entry_to_row

    confirm(
        csv_bytes(
            [
                GOOD,
                row(Reference="2", Countries="Mali; Chad", Donors="EU; Spain; Italy"),
                row(Reference="3", **{"Budget (EUR)": "10.50", "Secondary domains": "1; 5"}),
            ]
        ),
        partner,
    )
    stored = services.stored_entries(partner)
    for entry in JvapEntry.objects.for_listing():
        assert stored[entry.reference][1] == entry_to_row(entry)


def test_unchanged_entry_reported_in_a_later_campaign_moves_to_it_with_history(partner):
    confirm(csv_bytes([GOOD]), partner, campaign=CampaignFactory(year=2024))
    preview, upload = confirm(csv_bytes([GOOD]), partner, campaign=CampaignFactory(year=2025))
    assert preview.summary == "0 new, 0 updated, 1 unchanged"
    assert JvapEntry.objects.get().campaign_year == 2025
    change = EntryChange.objects.latest("pk")
    assert (change.changes, change.upload) == ({"Campaign": [2024, 2025]}, upload)


def test_bulk_inserted_values_read_back_as_written(partner):
    """insert_rows (one JSON document per batch on PostgreSQL, VALUES on SQLite) stores every
    kind of value the confirmation writes exactly: amounts, dates, times, empty and missing
    values, texts with quotes, backslashes and accents, and JSON history."""
    domain = services.Domain.objects.get(number=2)
    now = datetime.datetime(2025, 3, 4, 5, 6, 7, 890123, tzinfo=datetime.UTC)
    texts = ('Quote " and \\ backslash', "Côte d’Ivoire {a, b}", "", "NULL")
    rows = [
        (f"BULK-{n}", text, "project", budget, start, None, "ongoing", "rabat", text, "", domain.pk)
        + (partner.pk, 2025, "submitted", "", None, None, now, now)
        for n, (text, budget, start) in enumerate(
            zip(
                texts,
                (Decimal("1250000.50"), None, Decimal("0.00"), Decimal("9876543210.12")),
                (datetime.date(2024, 2, 29), None, datetime.date(1950, 1, 1), None),
                strict=True,
            )
        )
    ]
    services.insert_rows(JvapEntry, services.NEW_ENTRY_COLUMNS, rows)
    stored = {e.reference: e for e in JvapEntry.objects.filter(reference__startswith="BULK-")}
    for values in rows:
        entry = stored[values[0]]
        assert (entry.title, entry.description, entry.budget_eur, entry.start_date) == (
            values[1],
            values[8],
            values[3],
            values[4],
        )
        assert (entry.end_date, entry.domain_id, entry.created_at) == (None, domain.pk, now)
    changes = {"Title": ['"old"', "new \\ ’"], "Campaign": [2024, 2025], "empty": {}}
    entry = stored["BULK-0"]
    history = [(entry.pk, None, None, now, EntryChange.Action.CREATED, changes, "")]
    services.insert_rows(EntryChange, services.HISTORY_COLUMNS, history)
    assert EntryChange.objects.get(entry=entry).changes == changes


def test_a_text_too_long_for_its_column_is_never_cut(partner):
    """PostgreSQL refuses it, as a VALUES insert would (SQLite keeps it whole)."""
    domain = services.Domain.objects.get(number=2)
    now = datetime.datetime(2025, 3, 4, tzinfo=datetime.UTC)
    row_values = ("LONG-1", "t" * 501, "project", None, None, None, "", "", "", "", domain.pk)
    row_values += (partner.pk, 2025, "submitted", "", None, None, now, now)
    if services.connection.vendor == "postgresql":
        with pytest.raises(services.DatabaseError):
            services.insert_rows(JvapEntry, services.NEW_ENTRY_COLUMNS, [row_values])
    else:
        services.insert_rows(JvapEntry, services.NEW_ENTRY_COLUMNS, [row_values])
        assert JvapEntry.objects.get(reference="LONG-1").title == "t" * 501
