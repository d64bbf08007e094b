"""`backup` then `restore` into an empty database and media folder gives back the same portal."""

import datetime
import re
import shutil

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.derived import is_derived
from dialogues.models import Document, FocalPoint, MeetingPhoto
from mmd_portal.management.commands.backup import EXCLUDED_MODELS, backed_up_models
from tests.bursts import one_burst_of_changes
from tests.dialogues.factories import (
    ChairTermFactory,
    DialogueFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    SteeringCommitteeSeatFactory,
)

from .conftest import uploaded_png
from .test_uploads import PDF
from .urlwalk import body, every_reachable_path

VOLATILE = re.compile(  # what differs between two renderings of the same data
    rb'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"|csrftoken=[^;"]+|DTSTAMP:[0-9TZ]+'
    # When a file or figure was made: IATI's and the data package's stamps, an empty feed's
    # date, the dashboard's "Figures computed on"
    rb'|generated-datetime="[^"]+"|"created": "[^"]+"|(?<=</id>)<updated>[^<]+</updated>'
    rb'|class="figures-time">[^<]+'
)


def every_table():
    """Every backed-up row, serialized with natural keys, per model."""
    return {
        model._meta.label: serializers.serialize(
            "json",
            model._default_manager.order_by(model._meta.pk.name),
            use_natural_foreign_keys=True,
        )
        for model in backed_up_models()
    }


def role_permissions():
    return {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }


def every_page(client, user):
    """What the public and the secretariat see: every argument-free page, every changelist."""
    client.logout()
    # (not /health/: the load balancer's check, not data; an async view, which the test
    # client cannot call once the browser tests' event loop runs in this thread)
    public = [
        path
        for path in every_reachable_path(client)
        if "/admin" not in path and not path.endswith("/health/")
    ]
    assert len(public) > 20  # the listings, their exports and every detail page
    pages = {path: client.get(path) for path in public}
    client.force_login(user)
    for model in admin.site._registry:
        opts = model._meta
        if opts.label_lower in EXCLUDED_MODELS or is_derived(model):
            continue  # not in the archive: derived rows, recomputed (at another time) after it
        path = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        pages[path] = client.get(path)
    return {path: (response.status_code, comparable(response)) for path, response in pages.items()}


def comparable(response):
    """The response's content without what differs between two renderings of the same data;
    a spreadsheet (whose zip carries the time it was written) by its cells."""
    content = body(response)
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from io import BytesIO

        from openpyxl import load_workbook

        workbook = load_workbook(BytesIO(content))
        return [
            (sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in workbook.worksheets
        ]
    return VOLATILE.sub(b"", content)


def media_files(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def jvap_uploads_root(settings, tmp_path):
    settings.JVAP_UPLOADS_ROOT = tmp_path / "jvap-uploads"
    return settings.JVAP_UPLOADS_ROOT


@pytest.fixture
def filled_portal(media_root, jvap_uploads_root, secretariat_user):
    from tests.jvap.factories import EntryUploadFactory

    with one_burst_of_changes():
        EntryUploadFactory(uploaded_by=secretariat_user)  # a spreadsheet kept outside MEDIA_ROOT
        dialogue = DialogueFactory(logo=uploaded_png("rabat.png"))
        organisation = OrganisationFactory(logo=uploaded_png("icmpd.png", color=(0, 0, 200)))
        MembershipFactory(dialogue=dialogue, country="SN", start=datetime.date(2006, 7, 11))
        MembershipFactory(dialogue=dialogue, country="", organisation=organisation)
        SteeringCommitteeSeatFactory(dialogue=dialogue)
        ChairTermFactory(dialogue=dialogue)
        meeting = MeetingFactory()
        meeting.dialogues.add(dialogue)
        MeetingPhoto.objects.create(
            meeting=meeting, image=uploaded_png("plenary.png"), alt_text="Plenary"
        )
        document = Document.objects.create(
            title="Rabat Declaration",
            slug="rabat-declaration",
            kind=Document.Kind.DECLARATION,
            file=SimpleUploadedFile("rabat.pdf", PDF),
            meeting=meeting,
        )
        document.dialogues.add(dialogue)
        focal_point = FocalPoint.objects.create(
            name="A. Person", country="SN", user=secretariat_user
        )
        focal_point.dialogues.add(dialogue)
        organisation.acronym = "ICMPD"
        organisation.save()  # a second version in the history
    return dialogue


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_an_empty_installation_give_back_the_same_portal(
    client, secretariat_user, filled_portal, media_root, jvap_uploads_root, tmp_path
):
    pages, files = every_page(client, secretariat_user), media_files(media_root)
    private_files = media_files(jvap_uploads_root)
    tables, permissions = every_table(), role_permissions()  # after the log-in's last_login
    assert len(files) == 5  # two logos, a photo, its thumbnail, a document
    assert len(private_files) == 1  # the JVAP spreadsheet
    archive = tmp_path / "portal.tar.gz"

    call_command("backup", output=str(archive), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    shutil.rmtree(jvap_uploads_root)
    call_command("restore", str(archive), verbosity=0)

    assert every_table() == tables
    assert role_permissions() == permissions
    assert media_files(media_root) == files
    assert media_files(jvap_uploads_root) == private_files
    secretariat_user.refresh_from_db()
    assert every_page(client, secretariat_user) == pages
    OrganisationFactory()  # the id sequences were moved past the restored rows
    MembershipFactory(dialogue=filled_portal, country="ML")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(filled_portal, media_root, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    rows_before = every_table()

    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive), verbosity=0)

    assert every_table() == rows_before


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_media_folder_that_holds_files(filled_portal, media_root, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="media folder"):
        call_command("restore", str(archive), verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_and_nothing_is_written(filled_portal, media_root, tmp_path):
    archive = tmp_path / "portal.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(damaged), verbosity=0)

    assert not media_root.exists()
    assert all(
        not model._default_manager.exists() for model in backed_up_models() if model is not Group
    )


def test_derived_tables_are_left_out_of_the_backup():
    """The JVAP read model and precomputed figures say they are derived (core.derived), and the
    backup leaves out exactly what says so; a new derived table needs only that marker."""
    from django.apps import apps

    from jvap.models import PublicEntry, PublicEntryCountry, PublicEntryOrganisation, PublicFigures

    derived = {model for model in apps.get_models() if is_derived(model)}

    assert {PublicFigures, PublicEntry, PublicEntryCountry, PublicEntryOrganisation} <= derived
    assert not derived & set(backed_up_models())


def test_backup_refuses_to_overwrite_an_archive(tmp_path, db):
    archive = tmp_path / "exists.tar.gz"
    archive.write_bytes(b"keep me")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(archive), verbosity=0)

    assert archive.read_bytes() == b"keep me"


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_new_installation_migrates_it_first(filled_portal, tmp_path):
    """A brand-new database file, never migrated, and an empty media folder, in another process."""
    import json
    import os
    import subprocess
    import sys
    import tarfile
    from pathlib import Path

    archive, copy = tmp_path / "portal.tar.gz", tmp_path / "copy.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mmd_portal.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "new-media"),
        "JVAP_UPLOADS_ROOT": str(tmp_path / "new-private-media"),
    }

    for command in (["restore", str(archive)], ["backup", "--output", str(copy)]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def contents(path):
        with tarfile.open(path) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
            records = json.load(tar.extractfile("data.json"))
        return manifest["rows"], manifest["media"], records

    assert contents(copy) == contents(archive)
