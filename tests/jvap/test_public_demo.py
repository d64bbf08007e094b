"""`jvap.demo.seed_jvap`: invented entries, every one labelled, never mixed with real rows."""

import pytest

from dialogues.models import Organisation
from jvap.demo import DEMO_PREFIX, seed_jvap
from jvap.models import EntryCountry, EntryOrganisation, JvapEntry, ReportingPartner
from tests.jvap.factories import JvapEntryFactory, domains_by_number

pytestmark = pytest.mark.django_db


def test_the_demo_generator_creates_labelled_rows_only():
    domains = domains_by_number()
    real = JvapEntryFactory(title="A real entry", domain=domains[1], implementers=["IOM"])
    before_partners = set(ReportingPartner.objects.values_list("pk", flat=True))

    assert seed_jvap(120) == 120

    demo = JvapEntry.objects.exclude(pk=real.pk)
    assert demo.count() == 120
    assert not demo.exclude(title__startswith=DEMO_PREFIX).exists()
    assert not demo.exclude(reference__startswith="DEMO-").exists()
    assert not demo.exclude(description__contains="Demo data – not real").exists()
    new_partners = ReportingPartner.objects.exclude(pk__in=before_partners)
    assert set(demo.values_list("partner", flat=True)) <= set(
        new_partners.values_list("pk", flat=True)
    )
    assert not new_partners.exclude(code__startswith="DEMO-").exists()
    demo_organisations = Organisation.objects.filter(reportingpartner__in=new_partners)
    assert demo_organisations.count() == new_partners.count()
    assert not demo_organisations.exclude(name__startswith=DEMO_PREFIX).exists()
    named = EntryOrganisation.objects.filter(entry__in=demo)
    assert named.exists()
    assert not named.exclude(name__startswith=DEMO_PREFIX).exists()
    assert EntryCountry.objects.filter(entry__in=demo).count() >= 120
    # The real entry is untouched.
    real.refresh_from_db()
    assert real.title == "A real entry"
    assert list(real.organisations.values_list("name", flat=True)) == ["IOM"]


def test_demo_entries_are_mostly_published_and_show_on_the_public_pages(client):
    domains_by_number()
    seed_jvap(60)
    published = JvapEntry.objects.published().count()
    assert 0 < published <= 60
    response = client.get("/jvap/")
    assert response.context["paginator"].count == published


def test_seeding_twice_never_collides_and_zero_creates_nothing():
    domains_by_number()
    seed_jvap(10)
    seed_jvap(10)
    assert JvapEntry.objects.count() == 20
    assert seed_jvap(0) == 0
    assert JvapEntry.objects.count() == 20


def test_the_demo_generator_creates_the_five_domains_when_none_are_loaded():
    from dialogues.models import Domain

    seed_jvap(5)
    assert JvapEntry.objects.count() == 5
    assert sorted(Domain.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]


def test_a_large_load_rebuilds_the_search_and_sort_indexes(monkeypatch):
    from django.db import connection

    from jvap import demo
    from jvap.indexes import SORT_INDEXES, TRIGRAM_INDEXES

    monkeypatch.setattr(demo, "REBUILD_INDEXES_FROM", 1)
    domains_by_number()
    seed_jvap(30)
    expected = {name for name, _ in SORT_INDEXES}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            expected |= {name for name, _, _ in TRIGRAM_INDEXES}
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'jvap%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        present = {name for (name,) in cursor.fetchall()}
    assert expected <= present
    assert JvapEntry.objects.count() == 30
