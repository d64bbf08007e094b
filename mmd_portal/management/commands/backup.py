"""`python manage.py backup [--output ARCHIVE]`: the database and the uploaded files in one file.

The archive is a .tar.gz holding:

- ``data.json``: every record, dumped inside one read-only transaction (a snapshot on
  PostgreSQL's REPEATABLE READ, a read transaction on SQLite), so that no half-made change is
  caught. Every row keeps its id (addresses and links stay the same); references to
  permissions and content types travel by natural key. Content types, permissions,
  sessions, the admin's log and the login-throttling state are left out because a fresh
  installation makes its own or does not need them; so are derived tables (`core.derived`:
  the JVAP read model and precomputed figures), which the restored data's refresh rebuilds.
- ``media/...``: the uploaded files (MEDIA_ROOT).
- ``storages/<app.Model.field>/...``: files that a field keeps in a storage of its own, such
  as the JVAP spreadsheets kept outside MEDIA_ROOT; only the files the records name.
- ``manifest.json``: when and from what it was made, the migrations it needs, the number of
  rows per model and a SHA-256 of every file, which `restore` checks.
"""

import datetime
import hashlib
import io
import json
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from core.derived import is_derived

ARCHIVE_FORMAT = 1

# Records a new installation makes itself (content types, permissions) or that are not data.
EXCLUDED_MODELS = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "admin.logentry",
}
# Not data: login-throttling state, and the background tasks queue (migrations enqueue tasks).
EXCLUDED_APPS = {"axes", "django_tasks_database"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping microseconds (it rounds times to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list:
    """The models whose rows the archive holds, ordered so that loading them works."""
    chosen = []
    for model in serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    ):
        label = model._meta.label_lower
        if model._meta.proxy or not model._meta.managed:
            continue
        if label in EXCLUDED_MODELS or model._meta.app_label in EXCLUDED_APPS:
            continue
        if is_derived(model):
            continue  # rebuilt by the refresh task that the restored rows trigger
        chosen.append(model)
    return chosen


def own_storage_fields() -> list:
    """(model, field) of file fields whose files live in a storage other than the default."""
    return [
        (model, field)
        for model in backed_up_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and field.storage is not default_storage
    ]


def storage_key(model, field) -> str:
    return f"{model._meta.label}.{field.name}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _snapshot_transaction(using: str):
    """A transaction in which every read sees the same moment of the database."""
    atomic = transaction.atomic(using=using)
    atomic.__enter__()
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    return atomic


class Command(BaseCommand):
    help = "Write the database and the uploaded files to one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Where to write the archive (default: mmd-backup-<date-time>.tar.gz here).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        archive_path = Path(output or f"mmd-backup-{stamp}.tar.gz")
        if archive_path.exists():
            raise CommandError(f"{archive_path} exists already; choose another --output.")
        archive_path.parent.mkdir(parents=True, exist_ok=True)

        data, counts, migrations, own_files = self._dump(database)
        media_root = Path(settings.MEDIA_ROOT)
        media_files = (
            sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        )
        manifest = {
            "format": ARCHIVE_FORMAT,
            "created": timezone.now().isoformat(),
            "database_vendor": connections[database].vendor,
            "migrations": migrations,
            "rows": counts,
            "data_sha256": sha256(data),
            "media": {},
            "storages": {},
        }

        partial = archive_path.with_name(archive_path.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                self._add_bytes(archive, "data.json", data)
                for path in media_files:
                    relative = path.relative_to(media_root).as_posix()
                    content = path.read_bytes()
                    manifest["media"][relative] = sha256(content)
                    self._add_bytes(archive, f"media/{relative}", content)
                for key, (field, names) in own_files.items():
                    manifest["storages"][key] = {}
                    for name in names:
                        with field.storage.open(name, "rb") as handle:
                            content = handle.read()
                        manifest["storages"][key][name] = sha256(content)
                        self._add_bytes(archive, f"storages/{key}/{name}", content)
                self._add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            partial.rename(archive_path)  # never leave a half-written archive under the real name
        finally:
            partial.unlink(missing_ok=True)

        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {sum(counts.values())} records and {len(media_files)} files "
                f"to {archive_path}"
            )
        )

    def _dump(self, database: str) -> tuple[bytes, dict, dict, dict]:
        backed_up = backed_up_models()
        atomic = _snapshot_transaction(database)
        try:
            migrations: dict[str, list[str]] = {}
            for app, name in (
                MigrationRecorder.Migration.objects.using(database)
                .filter(applied__isnull=False)
                .order_by("app", "name")
                .values_list("app", "name")
            ):
                migrations.setdefault(app, []).append(name)
            counts = {}
            objects = []
            own_files = {
                storage_key(model, field): (
                    field,
                    sorted(
                        set(
                            model._default_manager.using(database)
                            .exclude(**{field.name: ""})
                            .values_list(field.name, flat=True)
                        )
                    ),
                )
                for model, field in own_storage_fields()
            }
            for model in backed_up:
                queryset = model._default_manager.using(database).order_by(model._meta.pk.name)
                rows = list(queryset)
                counts[model._meta.label_lower] = len(rows)
                objects.extend(rows)
            data = serializers.serialize(
                "json",
                objects,
                indent=1,
                use_natural_foreign_keys=True,
                cls=ExactJSONEncoder,
            ).encode()
        finally:
            atomic.__exit__(None, None, None)
        return data, counts, migrations, own_files

    @staticmethod
    def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        info.mtime = int(datetime.datetime.now().timestamp())
        info.mode = 0o644
        archive.addfile(info, io.BytesIO(content))
