"""manage.py restore ARCHIVE: put a backup back and check it gives back what was saved.

Stop the application first.  Into an empty database it just restores; over an existing one
it needs --replace.  --database-url restores somewhere else (a test restore into a fresh
database, which is how to prove a backup works without touching production).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from clms.core.backup import BackupError, Database, read_manifest, restore_backup
from clms.core.management.commands.backup import read_passphrase


class Command(BaseCommand):
    help = "Restore a backup made by manage.py backup, then verify row counts and the register checksum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--passphrase-file", help="file holding the passphrase of an encrypted archive")
        parser.add_argument("--database-url", help="restore into this database instead of the configured one")
        parser.add_argument("--media-root", help="restore the uploads here instead of PRIVATE_MEDIA_ROOT")
        parser.add_argument("--no-media", action="store_true", help="do not restore the uploads")
        parser.add_argument("--replace", action="store_true", help="replace a database that is not empty")
        parser.add_argument("--check", action="store_true", help="only read and check the archive; restore nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"no such file: {archive}")
        passphrase = read_passphrase(options["passphrase_file"])
        try:
            if options["check"]:
                manifest = read_manifest(archive, passphrase)
                self.stdout.write(f"{archive}: {manifest.engine} backup of {manifest.created_at}, "
                                  f"{sum(manifest.row_counts.values())} rows, {manifest.media_files} uploaded files")
                return
            if options["database_url"]:
                db = Database.from_url(options["database_url"])
            else:
                db = Database.from_settings(connections["default"].settings_dict)
                connections.close_all()
            media = None if options["no_media"] else Path(options["media_root"] or settings.PRIVATE_MEDIA_ROOT)
            manifest = restore_backup(archive=archive, db=db, media_root=media, passphrase=passphrase,
                                      replace=options["replace"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored {archive} into {db.name}: {sum(manifest.row_counts.values())} rows in "
                          f"{len(manifest.row_counts)} tables and the register checksum match the backup")
