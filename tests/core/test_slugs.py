"""Slugs are made by the model on save, whatever creates the record (core.slugs)."""

import pytest

from core.slugs import fill_empty_slugs, unique_slug
from dialogues.models import Dialogue, Document, Meeting, Organisation
from grants.models import RESERVED_GRANT_SLUGS, Grant
from tests.dialogues.factories import DialogueFactory, MeetingFactory, OrganisationFactory
from tests.grants.factories import CallFactory, GrantFactory

pytestmark = pytest.mark.django_db


def _meeting(title: str, **fields) -> Meeting:
    return Meeting.objects.create(
        title=title, type=Meeting.Type.THEMATIC_MEETING, start_date="2024-03-11", **fields
    )


def test_an_empty_slug_is_made_from_the_title_in_ascii():
    assert _meeting("Réunion à Dakar").slug == "reunion-a-dakar"


def test_clashing_titles_get_numbered_suffixes():
    slugs = [_meeting("Senior officials' meeting").slug for _ in range(3)]

    assert slugs == [
        "senior-officials-meeting",
        "senior-officials-meeting-2",
        "senior-officials-meeting-3",
    ]


def test_a_slug_the_editor_typed_is_kept():
    assert _meeting("Réunion à Dakar", slug="dakar-2024").slug == "dakar-2024"


def test_a_long_title_gives_a_slug_within_the_field_length_even_with_a_suffix():
    max_length = Meeting._meta.get_field("slug").max_length
    title = ("Réunion " * 50)[:max_length]  # as long as a title may be
    first, second = _meeting(title), _meeting(title)

    assert len(first.slug) == max_length
    assert len(second.slug) <= max_length
    assert second.slug.endswith("-2") and second.slug != first.slug


def test_a_title_with_nothing_to_transliterate_falls_back_on_the_models_name():
    first, second = _meeting("اجتماع"), _meeting("会议")

    assert (first.slug, second.slug) == ("meeting", "meeting-2")


def test_each_model_takes_its_slug_from_its_readable_fields():
    organisation = Organisation.objects.create(name="Economic Community of West African States")
    acronym = Organisation.objects.create(name="Organisation internationale", acronym="OIM")
    dialogue = Dialogue.objects.create(name="Rabat Process", short_name="Rabat", summary="-")
    call = CallFactory(slug="", reference="MMD-GF-2025/01")

    assert organisation.slug == "economic-community-of-west-african-states"
    assert acronym.slug == "oim"
    assert dialogue.slug == "rabat"
    assert call.slug == "mmd-gf-202501"


def test_a_grant_never_takes_an_address_reserved_under_grants():
    grants = [GrantFactory(slug="", title=title) for title in ["Calls", "Export"]]

    assert [grant.slug for grant in grants] == ["calls-2", "export-2"]
    assert not {grant.slug for grant in Grant.objects.all()} & RESERVED_GRANT_SLUGS


def test_saving_only_some_fields_still_fills_the_slug():
    meeting = MeetingFactory(title="Réunion à Rabat")
    Meeting.objects.filter(pk=meeting.pk).update(slug="")
    meeting.refresh_from_db()

    meeting.save(update_fields=["title"])

    meeting.refresh_from_db()
    assert meeting.slug == "reunion-a-rabat"


def test_the_repair_fills_every_empty_slug_without_touching_the_others():
    kept = OrganisationFactory(slug="ecowas", acronym="ECOWAS")
    broken = OrganisationFactory(acronym="ECOWAS")
    Organisation.objects.filter(pk=broken.pk).update(slug="")  # the unique column allows one
    Meeting.objects.filter(pk=_meeting("Réunion à Dakar").pk).update(slug="")

    assert fill_empty_slugs(Organisation, ("acronym", "name")) == 1
    assert fill_empty_slugs(Meeting, ("title",)) == 1

    assert sorted(Organisation.objects.values_list("slug", flat=True)) == ["ecowas", "ecowas-2"]
    assert Meeting.objects.get().slug == "reunion-a-dakar"
    kept.refresh_from_db()
    assert kept.slug == "ecowas"


def test_a_unique_slug_ignores_the_record_it_is_made_for():
    dialogue = DialogueFactory(slug="rabat", short_name="Rabat")

    assert unique_slug(Dialogue, "Rabat", exclude_pk=dialogue.pk) == "rabat"
    assert unique_slug(Dialogue, "Rabat") == "rabat-2"
    assert unique_slug(Document, "Rabat") == "rabat"
