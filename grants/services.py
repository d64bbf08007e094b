"""Writes of the grants app that touch several records at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.spreadsheet import SheetError
from dialogues.models import Dialogue, Domain, Organisation

from . import spreadsheet
from .models import Call, ConsortiumMember, Grant, GrantCountry


@dataclass
class ImportSummary:
    grants_created: int = 0
    grants_updated: int = 0
    organisations_created: int = 0
    members: int = 0


def grants_import_spreadsheet(*, upload, filename: str) -> ImportSummary:
    """Import a grants spreadsheet: every row is checked first, and the file is refused whole
    (`spreadsheet.SpreadsheetRefused`, naming each row and column) when one is wrong.

    Grants are matched by reference: new ones are created, existing ones updated, and the
    consortium and countries of each grant in the file become exactly those of the file."""
    rows = spreadsheet.read_rows(upload, filename)
    calls = {call.reference: call for call in Call.objects.all()}
    dialogues = {d.slug: d for d in Dialogue.objects.all()}
    domains = {d.number: d for d in Domain.objects.all()}
    grant_rows = spreadsheet.check_rows(
        rows, calls=calls, dialogues=set(dialogues), domains=set(domains)
    )
    organisations = _resolve_organisations(grant_rows)
    try:
        with transaction.atomic():
            return _write(grant_rows, organisations, dialogues, domains)
    except IntegrityError as error:
        # A rule the checks above did not foresee (two grants given one slug...): nothing kept.
        raise spreadsheet.SpreadsheetRefused(
            _("The file could not be saved and nothing was changed: %(error)s") % {"error": error}
        ) from error


def _write(grant_rows, organisations, dialogues, domains) -> ImportSummary:
    summary = ImportSummary()
    for grant_row in grant_rows:
        values = dict(grant_row.values)
        # An empty slug keeps the grant's address, or has a new grant make one on save.
        slug = values.pop("slug")
        grant = Grant.objects.filter(reference=grant_row.reference).first()
        if grant is None:
            grant = Grant(reference=grant_row.reference)
            summary.grants_created += 1
        else:
            summary.grants_updated += 1
        if slug:
            grant.slug = slug
        for name, value in values.items():
            setattr(grant, name, value)
        grant.save()
        grant.dialogues.set([dialogues[d] for d in grant_row.dialogues])
        grant.domains.set([domains[number] for number in grant_row.domains])
        grant.countries.all().delete()
        GrantCountry.objects.bulk_create(
            [GrantCountry(grant=grant, country=code) for code in grant_row.countries]
        )
        grant.consortium.all().delete()
        for member in grant_row.members:
            organisation = organisations[member.organisation_name.lower()]
            if organisation.pk is None:
                organisation.save()
                summary.organisations_created += 1
            ConsortiumMember(grant=grant, organisation=organisation, role=member.role).save()
            summary.members += 1
    return summary


def _resolve_organisations(grant_rows) -> dict[str, Organisation]:
    """Match each member to an existing organisation (by name or slug) or prepare a new one;
    refuse the file when a row contradicts the type or country already recorded."""
    problems: list[SheetError] = []
    resolved: dict[str, Organisation] = {}
    for grant_row in grant_rows:
        for member in grant_row.members:
            key = member.organisation_name.lower()
            if key in resolved:
                continue
            organisation = Organisation.objects.filter(
                Q(name__iexact=member.organisation_name) | Q(slug=member.organisation_name)
            ).first()
            if organisation is None:
                if not member.organisation_type:
                    problems.append(
                        SheetError(
                            _("“%(name)s” is a new organisation; give its type.")
                            % {"name": member.organisation_name},
                            row=member.row,
                            column="organisation_type",
                        )
                    )
                    continue
                organisation = Organisation(
                    name=member.organisation_name,
                    acronym=member.acronym,
                    type=member.organisation_type,
                    country=member.organisation_country,
                    source_note=_("Created by the grants spreadsheet import."),
                )
            else:
                for column, given, recorded in [
                    ("organisation_type", member.organisation_type, organisation.type),
                    (
                        "organisation_country",
                        member.organisation_country,
                        organisation.country.code or "",
                    ),
                ]:
                    if given and given != recorded:
                        problems.append(
                            SheetError(
                                _(
                                    "“%(name)s” is recorded with “%(recorded)s”, not "
                                    "“%(given)s”; correct the organisation in the admin first."
                                )
                                % {
                                    "name": organisation.name,
                                    "recorded": recorded or "–",
                                    "given": given,
                                },
                                row=member.row,
                                column=column,
                            )
                        )
            resolved[key] = organisation
    if problems:
        raise spreadsheet.SpreadsheetRefused(*problems)
    return resolved
