"""manage.py backup: the database, the private uploads and a manifest in one archive.

Cron, nightly at 01:30, keeping 30 days (the passphrase in a root-only file):

    30 1 * * * cd /srv/clms && CLMS_BACKUP_PASSPHRASE_FILE=/etc/clms/backup.pass .venv/bin/python manage.py backup --dir /var/backups/clms --keep-days 30

It signs nothing, so it runs without CLMS_SECRET_KEY (``KEYLESS_COMMANDS`` in clms/settings.py).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from clms.core.backup import BackupError, Database, create_backup


def read_passphrase(path: str | None) -> str | None:
    """From --passphrase-file, CLMS_BACKUP_PASSPHRASE_FILE or CLMS_BACKUP_PASSPHRASE; never
    from the command line, which other users of the machine can read in ps."""
    path = path or os.environ.get("CLMS_BACKUP_PASSPHRASE_FILE")
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CommandError(f"cannot read the passphrase file: {exc}") from None
        if not text:
            raise CommandError("the passphrase file is empty")
        return text
    return os.environ.get("CLMS_BACKUP_PASSPHRASE") or None


class Command(BaseCommand):
    help = "Back up the database and the private uploads into one archive (optionally encrypted)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="archive file to write (default: <dir>/clms-<date-time>.tar.gz[.enc])")
        parser.add_argument("--dir", default=str(Path(settings.VAR_DIR) / "backups"), help="folder for the archive")
        parser.add_argument("--passphrase-file", help="file holding the passphrase that encrypts the archive")
        parser.add_argument("--keep-days", type=int, default=0, help="delete archives in --dir older than this")
        parser.add_argument("--no-media", action="store_true", help="leave the private uploads out")

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = read_passphrase(options["passphrase_file"])
        folder = Path(options["dir"])
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")  # noqa: DTZ005 - the server's local time names the file
        out = Path(options["out"]) if options["out"] else folder / f"clms-{stamp}.tar.gz{'.enc' if passphrase else ''}"
        media = None if options["no_media"] else Path(settings.PRIVATE_MEDIA_ROOT)
        try:
            manifest = create_backup(db=Database.from_settings(connections["default"].settings_dict), out=out,
                                     media_root=media, passphrase=passphrase)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest.row_counts.values())
        self.stdout.write(
            f"{out}: {manifest.engine}, {len(manifest.row_counts)} tables, {rows} rows, "
            f"{manifest.media_files} uploaded files, {'encrypted' if passphrase else 'not encrypted'}, "
            f"{out.stat().st_size} bytes, {manifest.seconds['total']:.1f} s"
        )
        if options["keep_days"] > 0 and not options["out"]:
            cutoff = dt.datetime.now().timestamp() - options["keep_days"] * 86400  # noqa: DTZ005
            for old in folder.glob("clms-*.tar.gz*"):
                if old != out and old.stat().st_mtime < cutoff and not old.name.endswith(".partial"):
                    old.unlink()
                    self.stdout.write(f"deleted {old}")
