"""Writes to the JVAP database: previewing and confirming uploads, validating and returning
entries, and keeping their history. Every write that touches several models lives here."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.caching import bump_data_version
from core.spreadsheet import cell_text
from dialogues.models import Domain, Organisation

from . import notifications
from . import spreadsheet as sheet
from .exports import entry_to_row, row_builder, row_texts
from .models import (
    DataCollectionCampaign,
    EntryChange,
    EntryCountry,
    EntryOrganisation,
    EntryUpload,
    JvapEntry,
    ReportingPartner,
)

# The fields compared between a spreadsheet row and a stored entry (all but the reference).
COMPARED_HEADERS = tuple(h for h in sheet.HEADERS if h != sheet.REFERENCE)
BATCH_SIZE = 1000


def upload_limits() -> sheet.ParseLimits:
    """The server-protecting limits, from settings."""
    return sheet.ParseLimits(
        max_bytes=settings.JVAP_UPLOAD_MAX_BYTES,
        max_rows=settings.JVAP_UPLOAD_MAX_ROWS,
        max_unpacked_bytes=settings.JVAP_UPLOAD_MAX_UNCOMPRESSED_BYTES,
        max_seconds=settings.JVAP_UPLOAD_MAX_SECONDS,
    )


def _domain_names(domains: Iterable[Domain]) -> dict[int, tuple[str, ...]]:
    return {d.number: (d.name, d.name_fr) for d in domains}


@dataclass
class ChangedEntry:
    row: sheet.EntryRow
    entry: JvapEntry
    changes: dict[str, tuple[str, str]]


@dataclass
class UploadPreview:
    """What an upload would do: new, changed (with the changed fields) and unchanged entries,
    every error and warning. With any error the upload is refused whole."""

    new: list[sheet.EntryRow] = field(default_factory=list)
    changed: list[ChangedEntry] = field(default_factory=list)
    unchanged: list[tuple[sheet.EntryRow, JvapEntry]] = field(default_factory=list)
    errors: list[sheet.ParseError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        return f"{len(self.new)} new, {len(self.changed)} updated, {len(self.unchanged)} unchanged"


class UploadRefused(Exception):
    """The file has errors; nothing was written. `preview.errors` says what and where."""

    def __init__(self, preview: UploadPreview):
        super().__init__(f"{len(preview.errors)} error(s)")
        self.preview = preview


class UploadAlreadyHandled(Exception):
    """The upload was already confirmed, cancelled or refused."""

    def __init__(self, upload: EntryUpload):
        super().__init__(upload.get_state_display())
        self.upload = upload


class UploadInterrupted(Exception):
    """The database failed while writing a valid file (connection lost, deadlock, disk full);
    the transaction was rolled back, so nothing was written and the upload can be confirmed
    again. `message` says so in the focal point's words."""

    def __init__(self):
        self.message = str(
            _(
                "The database could not save this upload (it may be busy or unreachable). "
                "Nothing was written; please confirm the upload again in a few minutes."
            )
        )
        super().__init__(self.message)


def upload_parse(
    *, data: bytes, filename: str, progress: sheet.Progress | None = None
) -> sheet.ParseResult:
    """Read the file: no write and no lock, so it runs before any transaction opens."""
    return sheet.parse_file(
        data,
        filename,
        limits=upload_limits(),
        domain_names=_domain_names(Domain.objects.all()),
        progress=progress,
    )


def upload_preview(
    *,
    data: bytes,
    filename: str,
    partner: ReportingPartner,
    progress: sheet.Progress | None = None,
) -> UploadPreview:
    """Read the file and compare it with the partner's entries, writing nothing."""
    parsed = upload_parse(data=data, filename=filename, progress=progress)
    return upload_compare(parsed, partner=partner)


def upload_compare(parsed: sheet.ParseResult, *, partner: ReportingPartner) -> UploadPreview:
    """What a parsed file would change in the partner's entries as they are stored now."""
    domains = set(Domain.objects.values_list("number", flat=True))
    preview = UploadPreview(errors=list(parsed.errors), warnings=list(parsed.warnings))
    for row in parsed.rows:
        for number in (row.domain, *row.secondary_domains):
            if number not in domains:
                preview.errors.append(
                    sheet.ParseError(
                        _("The portal has no JVAP domain %(number)s yet; ask the secretariat.")
                        % {"number": number},
                        row=row.row_number,
                        column=sheet.DOMAIN,
                        value=str(number),
                    )
                )
    if preview.errors:
        return preview
    # References match whatever their case, as within one file (the parser refuses "ab-1" and
    # "AB-1" in the same file): a later file writing "ab-1" updates "AB-1", never duplicates it.
    existing = {
        reference.casefold(): stored for reference, stored in stored_entries(partner).items()
    }
    for row in parsed.rows:
        entry, stored_row = existing.get(row.reference.casefold(), (None, None))
        if entry is None:
            preview.new.append(row)
            continue
        old, new = row_texts(stored_row), row_texts(row)
        changes = {h: (old[h], new[h]) for h in COMPARED_HEADERS if old[h] != new[h]}
        if changes:
            preview.changed.append(ChangedEntry(row=row, entry=entry, changes=changes))
        else:
            preview.unchanged.append((row, entry))
    return preview


def upload_cells(*, data: bytes, filename: str, rows: set[int]) -> dict[int, dict[str, str]]:
    """The cells of some rows as they stand in the file (header -> text), so the preview can
    show next to each value how it was read ("€ 1,250,000" as 1,250,000 EUR). Reading stops
    once every asked row is found; a file that cannot be read gives nothing."""
    if not rows:
        return {}
    found: dict[int, dict[str, str]] = {}
    try:
        table = sheet.read_table(
            data, filename, header=sheet.HEADER, limits=upload_limits(), expected=sheet.HEADERS
        )
        for number, values in table.records():
            if number in rows:
                found[number] = {header: cell_text(value) for header, value in values.items()}
                if len(found) == len(rows):
                    break
    except sheet.SheetRefused:
        return found
    return found


def stored_entries(partner: ReportingPartner) -> dict[str, tuple[JvapEntry, sheet.EntryRow]]:
    """The partner's entries by reference, each with the row the parser would read for it.

    Read with four flat queries into light JvapEntry objects (primary key and review fields
    only): prefetching tens of thousands of entries with their relations takes many times
    longer and more memory. The rows must equal `exports.entry_to_row` of the same entries.
    """
    build_row = row_builder(partner=partner)
    stored = {}
    columns = ("pk", "domain__number", "review_state", "campaign_year", *ENTRY_FIELDS)
    # from_db with the other fields deferred takes a third of the time of JvapEntry(**fields);
    # it wants the values in the order of the model's fields.
    light = ("id", "partner_id", "reference", "campaign_year", "review_state")
    for values in partner.entries.values(*columns).order_by().iterator(chunk_size=BATCH_SIZE):
        entry = JvapEntry.from_db(
            None,
            light,
            (
                values["pk"],
                partner.pk,
                values["reference"],
                values["campaign_year"],
                values["review_state"],
            ),
        )
        stored[entry.reference] = (entry, build_row(values))
    return stored


def campaign_of_year(year: int) -> DataCollectionCampaign:
    """The campaign of the year; one the secretariat has not set up yet is made for the whole
    year (its dates can be changed in the admin)."""
    campaign, _created = DataCollectionCampaign.objects.get_or_create(
        year=year,
        defaults={
            "opens_on": datetime.date(year, 1, 1),
            "closes_on": datetime.date(year, 12, 31),
        },
    )
    return campaign


def campaign_for_upload(campaign: DataCollectionCampaign | None = None) -> DataCollectionCampaign:
    """The campaign an upload reports for: the one chosen, else the current one, else the
    campaign of this year. Decided once, when the file arrives, and kept on the upload, so the
    preview, the confirmed entries and the campaign overview all show the same campaign."""
    return (
        campaign or DataCollectionCampaign.current() or campaign_of_year(timezone.localdate().year)
    )


def upload_store(
    *, data: bytes, filename: str, partner: ReportingPartner, user, campaign
) -> EntryUpload:
    """Keep an uploaded file in storage (so any app server can confirm it later), with the
    campaign it reports for."""
    upload = EntryUpload(
        partner=partner,
        campaign=campaign_for_upload(campaign),
        uploaded_by=user,
        original_name=filename[:255],
    )
    upload.file.save(filename, ContentFile(data), save=False)
    upload.save()
    return upload


def upload_read(upload: EntryUpload) -> bytes:
    with upload.file.open("rb") as stored:
        return stored.read()


def upload_confirm(
    *,
    data: bytes,
    filename: str,
    partner: ReportingPartner,
    user=None,
    campaign: DataCollectionCampaign | None = None,
    publish: bool = False,
    upload: EntryUpload | None = None,
    progress: sheet.Progress | None = None,
    saving: sheet.Progress | None = None,
) -> tuple[UploadPreview, EntryUpload]:
    """Write the file's entries: new ones created, changed ones updated, all in one
    transaction. A file with any error raises UploadRefused and writes nothing; a database
    failure while writing raises UploadInterrupted and writes nothing either.

    The file is parsed first, outside the transaction (`progress` hears how far): no lock is
    held while it is read, and the transaction only compares and writes (`saving` hears how
    many entries are written).

    Confirmed entries are submitted for validation, or published when `publish` is set
    (the secretariat's migrations of past years).
    """
    stored: list[EntryUpload] = []
    try:
        parsed = upload_parse(data=data, filename=filename, progress=progress)
        return _upload_confirm(
            parsed=parsed,
            data=data,
            filename=filename,
            partner=partner,
            user=user,
            campaign=campaign,
            publish=publish,
            upload=upload,
            stored=stored,
            saving=saving,
        )
    except DatabaseError as error:
        # The atomic block has rolled the rows back; the file kept for them goes too.
        for kept in stored:
            kept.file.delete(save=False)
        raise UploadInterrupted() from error


@transaction.atomic
def _upload_confirm(
    *, parsed, data, filename, partner, user, campaign, publish, upload, stored, saving
) -> tuple[UploadPreview, EntryUpload]:
    # Lock the partner so two confirmations of the same partner cannot interleave: the second
    # waits here, then compares the file with what the first one committed.
    ReportingPartner.objects.select_for_update().filter(pk=partner.pk).first()
    if upload is not None:
        # A double click, or two app servers, must not confirm the same upload twice.
        upload = EntryUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.state != EntryUpload.State.PREVIEWED:
            raise UploadAlreadyHandled(upload)
    preview = upload_compare(parsed, partner=partner)
    if not preview.ok:
        raise UploadRefused(preview)
    if upload is None:
        upload = upload_store(
            data=data, filename=filename, partner=partner, user=user, campaign=campaign
        )
        stored.append(upload)
    writer = _ConfirmationWriter(
        partner=partner,
        user=user,
        upload=upload,
        campaign=upload.campaign or campaign_for_upload(campaign),
        publish=publish,
        progress=saving,
        total=len(preview.new) + len(preview.changed) + len(preview.unchanged),
    )
    writer.create(preview.new)
    writer.update(preview.changed)
    writer.carry_over(preview.unchanged)
    writer.flush_history()
    # The upload's save below bumps the data version before the commit; bump again after it,
    # so that no page rendered from the old rows in between stays cached.
    transaction.on_commit(bump_data_version)
    _mark_confirmed(upload, preview, publish=publish, now=writer.now)
    if not publish and (preview.new or preview.changed):
        # The secretariat hears of what awaits validation once it is really there.
        transaction.on_commit(notifications.upload_digest_schedule)
    return preview, upload


class _ConfirmationWriter:
    """The writes of one confirmation, step by step: create the new entries, update the
    changed ones, carry the unchanged ones over to the campaign (and publish them when asked).
    Everything is written in chunks of BATCH_SIZE, so memory stays flat for 50,000 rows."""

    def __init__(
        self,
        *,
        partner,
        user,
        upload,
        campaign,
        publish: bool,
        progress: sheet.Progress | None = None,
        total: int | None = None,
    ):
        self.partner, self.user, self.upload, self.publish = partner, user, upload, publish
        self.now = timezone.now()
        self.year = campaign.year
        self.domains = {d.number: d for d in Domain.objects.all()}
        self.domain_ids = {number: domain.pk for number, domain in self.domains.items()}
        self.user_id = user.pk if user is not None else None
        state = JvapEntry.ReviewState.PUBLISHED if publish else JvapEntry.ReviewState.SUBMITTED
        self.review = {
            "review_state": state,
            "review_comment": "",
            "reviewed_by": user if publish else None,
            "reviewed_at": self.now if publish else None,
        }
        self.review_values = (
            state,
            "",
            self.user_id if publish else None,
            self.now if publish else None,
        )
        self.history: list[tuple] = []
        self.lookups = _ChildLookups(self.domain_ids)
        self.progress, self.total, self.written = progress, total, 0

    def _wrote(self, count: int) -> None:
        self.written += count
        if self.progress is not None:
            self.progress(self.written, self.total)

    def record(self, entry: JvapEntry, action: str, changes: dict) -> None:
        self.record_id(entry.pk, action, changes)

    def record_id(self, entry_id: int, action: str, changes: dict) -> None:
        self.history.append((entry_id, self.upload.pk, self.user_id, self.now, action, changes, ""))
        if len(self.history) >= BATCH_SIZE:
            self.flush_history()

    def flush_history(self) -> None:
        insert_rows(EntryChange, HISTORY_COLUMNS, self.history)
        self.history.clear()

    def create(self, new_rows: list[sheet.EntryRow]) -> None:
        """INSERT the new entries (insert_rows), then read their keys back by reference: one
        indexed query per chunk, where building and saving model instances costs many times
        more."""
        fixed = (
            self.partner.pk,
            self.year,
            *self.review_values,
            self.now,
            self.now,
        )
        for rows in _chunks(new_rows):
            insert_rows(
                JvapEntry,
                NEW_ENTRY_COLUMNS,
                (
                    (*(getattr(row, name) for name in ROW_COLUMNS), self.domain_ids[row.domain])
                    + fixed
                    for row in rows
                ),
            )
            keys = dict(
                self.partner.entries.filter(
                    reference__in=[row.reference for row in rows]
                ).values_list("reference", "pk")
            )
            for row in rows:
                texts = row_texts(row)
                created_texts = {h: ["", t] for h, t in texts.items() if t}
                self.record_id(keys[row.reference], EntryChange.Action.CREATED, created_texts)
            _replace_children(
                [(keys[row.reference], row) for row in rows], self.lookups, delete_first=False
            )
            self._wrote(len(rows))

    def update(self, changed: list[ChangedEntry]) -> None:
        update_fields = [*ENTRY_FIELDS[1:], "campaign_year", "updated_at", *self.review]
        for chunk in _chunks(changed):
            for change in chunk:
                entry = change.entry
                for name, value in {
                    **_entry_fields(change.row, self.domains),
                    **self.review,
                }.items():
                    setattr(entry, name, value)
                entry.campaign_year = self.year
                entry.updated_at = self.now
                changes = {h: list(values) for h, values in change.changes.items()}
                self.record(entry, EntryChange.Action.UPDATED, changes)
            _update_entries([c.entry for c in chunk], update_fields)
            pairs = [(c.entry.pk, c.row) for c in chunk]
            _replace_children(pairs, self.lookups, delete_first=True)
            self._wrote(len(chunk))

    def carry_over(self, unchanged: list[tuple[sheet.EntryRow, JvapEntry]]) -> None:
        """Unchanged entries reported again in a later campaign only move to that campaign
        (and are published, for the secretariat's migrations of past years)."""
        for chunk in _chunks(unchanged):
            again = [entry for _row, entry in chunk if entry.campaign_year < self.year]
            for entry in again:
                moved = {"Campaign": [entry.campaign_year, self.year]}
                self.record(entry, EntryChange.Action.UPDATED, moved)
            JvapEntry.objects.filter(pk__in=[e.pk for e in again]).update(campaign_year=self.year)
            if self.publish:
                self._publish([entry for _row, entry in chunk if not entry.is_published])
            self._wrote(len(chunk))

    def _publish(self, entries: list[JvapEntry]) -> None:
        for entry in entries:
            published = {"review_state": [entry.review_state, JvapEntry.ReviewState.PUBLISHED]}
            self.record(entry, EntryChange.Action.PUBLISHED, published)
        JvapEntry.objects.filter(pk__in=[e.pk for e in entries]).update(**self.review)


def _mark_confirmed(upload: EntryUpload, preview: UploadPreview, *, publish: bool, now) -> None:
    upload.state = EntryUpload.State.CONFIRMED
    upload.publish = publish
    upload.confirmed_at = now
    upload.new_count = len(preview.new)
    upload.updated_count = len(preview.changed)
    upload.unchanged_count = len(preview.unchanged)
    upload.error_count = 0
    upload.save()


# The entry's own fields a spreadsheet row sets (the reference first: it never changes).
ENTRY_FIELDS = (
    "reference",
    "title",
    "type",
    "domain",
    "budget_eur",
    "start_date",
    "end_date",
    "status",
    "dialogue",
    "description",
    "website",
)


def _entry_fields(row: sheet.EntryRow, domains: dict[int, Domain]) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in ENTRY_FIELDS if name != "domain"}
    return {**values, "domain": domains[row.domain]}


def _organisation_ids() -> dict[str, int]:
    """Portal organisations by their name or acronym (case-insensitive), so that names in
    spreadsheets link to them; an acronym two organisations share links to neither."""
    by_key: dict[str, int | None] = {}
    for pk, name, acronym in Organisation.objects.values_list("pk", "name", "acronym"):
        for key in {name.casefold(), acronym.casefold()} - {""}:
            by_key[key] = None if key in by_key and by_key[key] != pk else pk
    return {key: pk for key, pk in by_key.items() if pk is not None}


def _update_entries(entries: list[JvapEntry], field_names: list[str]) -> None:
    """UPDATE the fields of many entries with one prepared statement run for each.

    Django's bulk_update builds a CASE expression per field and row, which takes minutes
    in Python for 10,000 entries; executemany of a plain UPDATE takes about a second.
    """
    if not entries:
        return
    fields = [JvapEntry._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {quote(JvapEntry._meta.db_table)} SET {assignments} "
        f"WHERE {quote(JvapEntry._meta.pk.column)} = %s"
    )
    params = [
        [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields] + [entry.pk]
        for entry in entries
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH_SIZE):
            cursor.executemany(sql, params[start : start + BATCH_SIZE])


class _ChildLookups:
    """Domain and organisation keys, read once per confirmation."""

    def __init__(self, domain_ids: dict[int, int]):
        self.domain_ids = domain_ids
        self.organisation_ids = _organisation_ids()


def _chunks(items: list) -> Iterable[list]:
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]


def _replace_children(
    pairs: list[tuple[int, sheet.EntryRow]], lookups: _ChildLookups, *, delete_first: bool
) -> None:
    """Countries, organisations and secondary domains of the entries (by key), written in
    bulk."""
    if not pairs:
        return
    Secondary = JvapEntry.secondary_domains.through
    domain_ids, known_organisations = lookups.domain_ids, lookups.organisation_ids
    if delete_first:
        ids = [entry_id for entry_id, _row in pairs]
        EntryCountry.objects.filter(entry_id__in=ids).delete()
        EntryOrganisation.objects.filter(entry_id__in=ids).delete()
        Secondary.objects.filter(jvapentry_id__in=ids).delete()
    implementer, donor = (
        EntryOrganisation.Role.IMPLEMENTER.value,
        EntryOrganisation.Role.DONOR.value,
    )
    insert_rows(
        EntryCountry,
        ("entry", "country"),
        ((entry_id, code) for entry_id, row in pairs for code in row.countries),
    )
    insert_rows(
        EntryOrganisation,
        ("entry", "role", "name", "position", "organisation"),
        (
            (entry_id, role, name, position, known_organisations.get(name.casefold()))
            for entry_id, row in pairs
            for role, names in ((implementer, row.implementers), (donor, row.donors))
            for position, name in enumerate(names)
        ),
    )
    insert_rows(
        Secondary,
        ("jvapentry", "domain"),
        (
            (entry_id, domain_ids[number])
            for entry_id, row in pairs
            for number in row.secondary_domains
        ),
    )


# The columns a confirmation writes: a row's own fields (ROW_COLUMNS, then the domain's key),
# then the fields every entry of the confirmation shares.
ROW_COLUMNS = tuple(name for name in ENTRY_FIELDS if name != "domain")
NEW_ENTRY_COLUMNS = (
    *ROW_COLUMNS,
    "domain",
    "partner",
    "campaign_year",
    "review_state",
    "review_comment",
    "reviewed_by",
    "reviewed_at",
    "created_at",
    "updated_at",
)
HISTORY_COLUMNS = ("entry", "upload", "changed_by", "changed_at", "action", "changes", "comment")


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """INSERT rows of values (in the order of `fields`, keys for foreign keys) into the
    model's table, at most BATCH_SIZE rows per statement.

    For the tens of thousands of rows of one confirmation: bulk_create builds a model
    instance and an SQL expression per value, most of the time of an import; here each value
    is passed as it is. No signal is sent, as with bulk_create. (COPY would be faster still on
    PostgreSQL, but it bypasses the connection's execute wrappers, which the importer's fault
    proofs inject failures with.)

    On PostgreSQL a batch is one parameter, the batch as a JSON array of rows that the server
    turns back into typed columns (`json_to_recordset`; a JSON field's value is nested as it
    is): `VALUES (%s, ...), ...` has one placeholder per value, which psycopg's client-side
    binding scans, splits and quotes one by one in Python, where the JSON is written by the
    json module's C encoder. Writing 10,000
    new entries with their history and countries took 3.0 s of the importer's CPU that way,
    0.5 s this way (measured on the benchmark database).
    """
    model_fields = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in model_fields)}) "
    )
    if connection.vendor == "postgresql":
        write = partial(_insert_json, sql=head + _recordset(model_fields))
        batch = BATCH_SIZE
    else:
        # SQLite's driver wants dates, amounts and JSON as text.
        prepare = [
            partial(field.get_db_prep_save, connection=connection)
            if isinstance(field, PREPARED_FIELDS)
            else None
            for field in model_fields
        ]
        marks = f"({', '.join(['%s'] * len(model_fields))})"
        write = partial(_insert_chunk, head=head + "VALUES ", marks=marks, prepare=prepare)
        batch = min(BATCH_SIZE, connection.ops.bulk_batch_size(model_fields, [None] * BATCH_SIZE))
    chunk: list[Any] = []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                write(cursor, chunk=chunk)
                chunk = []
        if chunk:
            write(cursor, chunk=chunk)


def _recordset(model_fields: Sequence[models.Field]) -> str:
    """`SELECT * FROM json_to_recordset(%s) AS rows (c0 type, ...)`, in the columns' types.
    Text columns are read as text, so a value too long for its column fails the INSERT as it
    would in VALUES, rather than being cut by a cast to varchar(n)."""
    columns = []
    for index, model_field in enumerate(model_fields):
        db_type = model_field.db_type(connection)
        columns.append(f"c{index} {'text' if db_type.startswith('varchar') else db_type}")
    return f"SELECT * FROM json_to_recordset(%s) AS rows ({', '.join(columns)})"


def _json_value(value: Any) -> str:
    """Dates, times and amounts as the text PostgreSQL reads them from (ISO 8601, digits)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not written by insert_rows")


_ROWS_AS_JSON = json.JSONEncoder(default=_json_value, ensure_ascii=False, separators=(",", ":"))


def _insert_json(cursor, *, sql: str, chunk: list) -> None:
    names = [f"c{index}" for index in range(len(chunk[0]))]
    cursor.execute(
        sql, [_ROWS_AS_JSON.encode([dict(zip(names, row, strict=True)) for row in chunk])]
    )


def _insert_chunk(cursor, *, head: str, marks: str, prepare: list, chunk: list) -> None:
    params = [
        value if p is None else p(value)
        for row in chunk
        for p, value in zip(prepare, row, strict=True)
    ]
    cursor.execute(head + ", ".join([marks] * len(chunk)), params)


# Fields whose Python values the database driver does not take as they are (aware datetimes
# on SQLite, decimals, JSON).
PREPARED_FIELDS = (models.DateField, models.DecimalField, models.JSONField)


def _review_changes(entries, action, user, now, comment="") -> list[EntryChange]:
    return [
        EntryChange(
            entry=entry,
            changed_by=user,
            changed_at=now,
            action=action,
            changes={"review_state": [entry.review_state, _new_state(action)]},
            comment=comment,
        )
        for entry in entries
    ]


def _new_state(action: str) -> str:
    if action == EntryChange.Action.PUBLISHED:
        return JvapEntry.ReviewState.PUBLISHED
    return JvapEntry.ReviewState.RETURNED


def _lock_partners_of(entries) -> None:
    """Wait for uploads of the entries' partners to finish, and hold them off until this
    transaction ends (uploads lock their partner row too): a review then never validates
    a version it did not read, and never deadlocks with an upload's row updates."""
    partner_ids = set(entries.values_list("partner_id", flat=True))
    list(ReportingPartner.objects.select_for_update().filter(pk__in=partner_ids).order_by("pk"))


@transaction.atomic
def entries_review(*, entries, user, action: str, comment: str = "") -> int:
    """The secretariat's review of entries: publish them (`EntryChange.Action.PUBLISHED`,
    entries already published are left as they are) or return them to their focal point with
    a comment (`EntryChange.Action.RETURNED`; they leave the public site). Returns how many
    entries changed."""
    _lock_partners_of(entries)
    # Bulk updates send no signal: start a new data version once the change is committed, so
    # cached public pages show the review at once.
    transaction.on_commit(bump_data_version)
    now = timezone.now()
    state = _new_state(action)
    if action == EntryChange.Action.PUBLISHED:
        entries = entries.exclude(review_state=state)
    chosen = list(entries)
    bump_data_version()  # bulk writes send no signals: the public pages must change at once
    EntryChange.objects.bulk_create(_review_changes(chosen, action, user, now, comment=comment))
    transaction.on_commit(
        partial(
            notifications.send_review_mails.enqueue,
            entry_ids=[e.pk for e in chosen],
            action=EntryChange.Action(action).value,
            comment=comment,
        )
    )
    return JvapEntry.objects.filter(pk__in=[e.pk for e in chosen]).update(
        review_state=state,
        review_comment=comment,
        reviewed_by=user,
        reviewed_at=now,
    )


def entry_snapshot(entry: JvapEntry) -> dict[str, str]:
    """The entry's values as the template shows them, fresh from the database."""
    fresh = JvapEntry.objects.for_listing().get(pk=entry.pk)
    return row_texts(entry_to_row(fresh))


def record_admin_edit(*, entry: JvapEntry, before: dict[str, str] | None, user) -> None:
    """Keep an admin edit (or creation) in the entry's history."""
    after = entry_snapshot(entry)
    if before is None:
        changes = {h: ["", v] for h, v in after.items() if v}
        action = EntryChange.Action.CREATED
    else:
        changes = {h: [before[h], after[h]] for h in after if before[h] != after[h]}
        action = EntryChange.Action.EDITED
    if changes:
        EntryChange.objects.create(entry=entry, changed_by=user, action=action, changes=changes)
