"""Spreadsheet import and export of the records staff keep in spreadsheets.

Every resource cleans each record as a form would (``clean_model_instances``): an import must
not store what the admin's forms refuse (a ``javascript:`` website, a start after the end).
"""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from .models import Dialogue, FocalPoint, Meeting, Membership, Organisation


class OrganisationResource(resources.ModelResource):
    class Meta:
        clean_model_instances = True
        model = Organisation
        import_id_fields = ["slug"]
        fields = [
            "slug", "name", "name_fr", "acronym", "acronym_fr", "type", "country", "website",
            "description",
        ]  # fmt: skip
        skip_unchanged = True
        report_skipped = False


class MembershipResource(resources.ModelResource):
    dialogue = fields.Field(
        attribute="dialogue", column_name="dialogue", widget=ForeignKeyWidget(Dialogue, "slug")
    )
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=ForeignKeyWidget(Organisation, "slug"),
    )

    class Meta:
        clean_model_instances = True
        model = Membership
        # The precision columns come last, so that older spreadsheets still import.
        fields = [
            "id", "dialogue", "country", "organisation", "role", "start", "end", "note",
            "start_precision", "end_precision",
        ]  # fmt: skip
        skip_unchanged = True


class MeetingResource(resources.ModelResource):
    dialogues = fields.Field(
        attribute="dialogues",
        column_name="dialogues",
        widget=ManyToManyWidget(Dialogue, field="slug", separator=";"),
    )

    class Meta:
        clean_model_instances = True
        model = Meeting
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "title_fr",
            "type",
            "dialogues",
            "start_date",
            "end_date",
            "city",
            "country",
            "is_online",
            "host",
            "co_chairs",
            "participants_count",
            "status",
            "summary",
            # Last, so that older spreadsheets still import (a missing column keeps the day).
            "start_date_precision",
        ]
        skip_unchanged = True


class FocalPointResource(resources.ModelResource):
    """Staff-only: focal points carry personal data and are never exported publicly."""

    dialogues = fields.Field(
        attribute="dialogues",
        column_name="dialogues",
        widget=ManyToManyWidget(Dialogue, field="slug", separator=";"),
    )

    class Meta:
        clean_model_instances = True
        model = FocalPoint
        fields = [
            "id",
            "name",
            "function",
            "institution",
            "country",
            "kind",
            "dialogues",
            "email",
            "phone",
        ]
