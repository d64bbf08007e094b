"""`python manage.py restore ARCHIVE`: bring a `backup` archive back into an empty installation.

It migrates the database first, then refuses to go on unless the database holds no records
(beyond what migrating makes: content types, permissions and the two staff role groups) and
the media folder holds no files, so that it can never mix two portals or overwrite anything.
The records are loaded in one transaction (all or nothing) and the files are checked against
the manifest's SHA-256 before anything is written.
"""

import hashlib
import json
import tarfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader

from dialogues.roles import FOCAL_POINT, SECRETARIAT

from .backup import ARCHIVE_FORMAT, backed_up_models

ROLE_GROUPS = [SECRETARIAT, FOCAL_POINT]


class Command(BaseCommand):
    help = "Restore a backup archive into an empty installation (database and media files)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A .tar.gz written by `manage.py backup`.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, archive, database=DEFAULT_DB_ALIAS, **options):
        archive_path = Path(archive)
        if not archive_path.is_file():
            raise CommandError(f"No archive at {archive_path}.")
        try:
            with tarfile.open(archive_path, "r:gz") as tar:
                manifest, data, media = self._read(tar)
                own_files = self._read_own_storages(tar, manifest)
        except (tarfile.TarError, OSError, EOFError) as error:
            raise CommandError(
                f"{archive_path} is not a readable backup archive: {error}"
            ) from error

        self._check_migrations_known(manifest)
        call_command("migrate", database=database, interactive=False, verbosity=0)
        self._check_empty(database)
        self._check_own_storages_empty(own_files)
        with transaction.atomic(using=database):
            count = self._restore_records(data, database)
            self._write_files(media, own_files)

        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {count} records and {len(media)} files from {archive_path}"
            )
        )

    def _check_own_storages_empty(self, own_files) -> None:
        for field, name, _content in own_files:
            if field.storage.exists(name):
                raise CommandError(
                    f"The storage of {field} already holds {name}, so nothing was restored. "
                    "Restore into an empty installation."
                )

    def _restore_records(self, data: bytes, database: str) -> int:
        """Write the archive's records (inside the caller's transaction); their number."""
        # The role groups that migrating made come back from the archive with their ids.
        Group.objects.using(database).filter(name__in=ROLE_GROUPS).delete()
        objects = list(
            serializers.deserialize("json", data, using=database, handle_forward_references=True)
        )
        deferred = []
        for item in objects:
            # The archive holds the audit history itself: restoring is not a change to log.
            item.object.skip_history_when_saving = True
            item.save(using=database)
            if item.deferred_fields:
                deferred.append(item)
        for item in deferred:
            item.save_deferred_fields(using=database)
        self._reset_sequences(database)
        return len(objects)

    def _write_files(self, media: dict[str, bytes], own_files) -> None:
        """Write the media files and the files of fields with storages of their own; remove
        them all again if one fails (the database rolls back with the caller's transaction)."""
        media_root = Path(settings.MEDIA_ROOT)
        written = []
        try:
            for relative, content in media.items():
                target = media_root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
                written.append(target)
            for field, name, content in own_files:
                saved = field.storage.save(name, ContentFile(content))
                written.append((field.storage, saved))
                if saved != name:
                    raise CommandError(f"{field} stored {name} as {saved}; nothing restored.")
        except (OSError, CommandError):
            for target in written:
                if isinstance(target, tuple):
                    target[0].delete(target[1])
                else:
                    target.unlink(missing_ok=True)
            raise

    def _read(self, tar: tarfile.TarFile) -> tuple[dict, bytes, dict[str, bytes]]:
        """The manifest, the data and the media files, each checked against the manifest."""
        members = {member.name: member for member in tar.getmembers()}
        if "manifest.json" not in members or "data.json" not in members:
            raise CommandError("The archive has no manifest.json or data.json: not a backup.")
        manifest = json.loads(tar.extractfile(members["manifest.json"]).read())
        if manifest.get("format") != ARCHIVE_FORMAT:
            raise CommandError(f"Unknown archive format {manifest.get('format')!r}.")
        data = tar.extractfile(members["data.json"]).read()
        if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
            raise CommandError("data.json does not match its checksum: the archive is damaged.")
        media = {}
        for relative, digest in manifest["media"].items():
            path = PurePosixPath(relative)
            if path.is_absolute() or ".." in path.parts:
                raise CommandError(f"Refusing the media path {relative!r}.")
            member = members.get(f"media/{relative}")
            if member is None or not member.isfile():
                raise CommandError(f"The archive lacks the media file {relative}.")
            content = tar.extractfile(member).read()
            if hashlib.sha256(content).hexdigest() != digest:
                raise CommandError(f"The media file {relative} is damaged (checksum).")
            media[relative] = content
        return manifest, data, media

    def _read_own_storages(self, tar: tarfile.TarFile, manifest: dict) -> list:
        """(field, name, content) of the files kept in a field's own storage, checked."""
        files = []
        for key, names in manifest.get("storages", {}).items():
            label, _, field_name = key.rpartition(".")
            try:
                field = apps.get_model(label)._meta.get_field(field_name)
            except (LookupError, FieldDoesNotExist) as error:
                raise CommandError(f"The archive holds files of {key}, unknown here.") from error
            for name, digest in names.items():
                path = PurePosixPath(name)
                if path.is_absolute() or ".." in path.parts:
                    raise CommandError(f"Refusing the file path {name!r}.")
                try:
                    content = tar.extractfile(f"storages/{key}/{name}").read()
                except (KeyError, AttributeError):
                    content = None
                if content is None or hashlib.sha256(content).hexdigest() != digest:
                    raise CommandError(f"The file {name} of {key} is missing or damaged.")
                files.append((field, name, content))
        return files

    def _check_migrations_known(self, manifest: dict) -> None:
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        unknown = [
            f"{app}.{name}"
            for app, names in manifest["migrations"].items()
            for name in names
            if (app, name) not in known
        ]
        if unknown:
            raise CommandError(
                "The archive was made by a newer version of the portal (unknown migrations: "
                + ", ".join(unknown[:5])
                + "). Install that version first."
            )

    def _check_empty(self, database: str) -> None:
        filled = []
        for model in backed_up_models():
            queryset = model._default_manager.using(database)
            if model is Group:
                # Migrating makes the staff role groups; any other group is data.
                queryset = queryset.exclude(name__in=ROLE_GROUPS)
            count = queryset.count()
            if count:
                filled.append(f"{model._meta.label} ({count})")
        if filled:
            raise CommandError(
                "The database is not empty, so nothing was restored. Restore into a new, empty "
                "database. It holds: "
                + ", ".join(filled[:10])
                + ("..." if len(filled) > 10 else "")
            )
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
            raise CommandError(
                f"The media folder {media_root} already holds files, so nothing was restored. "
                "Point DJANGO_MEDIA_ROOT at an empty folder."
            )

    def _reset_sequences(self, database: str) -> None:
        connection = connections[database]
        statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
