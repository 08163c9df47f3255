"""Backups that restore: one archive with the database, the private uploads and a manifest.

* SQLite: the online backup API copies a consistent snapshot while the application writes.
* PostgreSQL: ``pg_dump --format=custom`` of a snapshot exported from a REPEATABLE READ
  transaction; the manifest's row counts and register checksum are computed in that same
  transaction, so they describe exactly what the dump holds.
* Private uploads (``PRIVATE_MEDIA_ROOT``) go into the archive under ``private/``.
* With a passphrase the whole archive is encrypted: AES-256-GCM (``cryptography``), the key
  derived from the passphrase with scrypt; a wrong passphrase or a damaged file is refused
  before anything is restored.

``restore`` checks the archive, restores into the target, and then recomputes the row counts
and the register checksum and compares them with the manifest: a restore that does not give
back what was saved fails loudly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump and pg_restore with fixed arguments
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from clms.core.backup_crypto import CHUNK, BackupError, decrypt_file, encrypt_file, is_encrypted

FORMAT = 1
# The register: the tables whose content the checksum covers.
REGISTER_TABLE_PREFIX = "people_"


@dataclass(frozen=True)
class Database:
    """Where a database is, in the terms pg_dump and sqlite3 need (from a Django settings dict)."""

    vendor: str  # "sqlite" or "postgresql"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, conf: dict[str, Any]) -> Database:
        engine = conf["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls("sqlite", str(conf["NAME"]))
        if "postgresql" in engine:
            return cls("postgresql", str(conf["NAME"]), str(conf.get("HOST") or ""), str(conf.get("PORT") or ""),
                       str(conf.get("USER") or ""), str(conf.get("PASSWORD") or ""))
        raise BackupError(f"unsupported database engine {engine}")

    @classmethod
    def from_url(cls, url: str) -> Database:
        import dj_database_url

        return cls.from_settings(dict(dj_database_url.parse(url)))

    def with_name(self, name: str) -> Database:
        return Database(self.vendor, name, self.host, self.port, self.user, self.password)

    def libpq_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, value in (("PGHOST", self.host), ("PGPORT", self.port), ("PGUSER", self.user),
                           ("PGPASSWORD", self.password), ("PGDATABASE", self.name)):
            if value:
                env[key] = value
        return env

    def connect(self) -> Any:
        """A plain DB-API connection (not Django's), for snapshots, statistics and tests."""
        if self.vendor == "sqlite":
            uri = self.name.startswith("file:")
            return sqlite3.connect(self.name, uri=uri, timeout=20, isolation_level=None)
        import psycopg

        return psycopg.connect(dbname=self.name, host=self.host or None, port=self.port or None,
                               user=self.user or None, password=self.password or None)


@dataclass
class Manifest:
    engine: str
    created_at: str
    row_counts: dict[str, int]
    register_checksum: str
    media_files: int = 0
    server_version: str = ""
    format: int = FORMAT
    encrypted: bool = False
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {data.get('format')!r}")
        return cls(**data)


# --- statistics: row counts and the register checksum -------------------------------------


def _tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def _quote(name: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise BackupError(f"unexpected table name {name!r}")
    return f'"{name}"'


def _canonical(value: Any) -> str:
    """One spelling per value, whatever the driver returns (str JSON on SQLite, dict on PostgreSQL)."""
    if value is None:
        return "\x00"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    return str(value)


def statistics(db: Database, *, connection: Any = None, max_ids: dict[str, int] | None = None) -> tuple[dict[str, int], str]:
    """Row count of every table and a SHA-256 of every row of the register tables (by id).

    ``max_ids`` limits the rows of the tables it names to ids up to a value (tests compare a
    restored snapshot with the prefix of a source that kept growing).
    """
    own = connection is None
    conn = db.connect() if own else connection
    try:
        cursor = conn.cursor()
        counts: dict[str, int] = {}
        digest = hashlib.sha256()
        for table in _tables(cursor, db.vendor):
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - quoted identifier
            counts[table] = int(cursor.fetchone()[0])
            if not table.startswith(REGISTER_TABLE_PREFIX):
                continue
            where = ""
            if max_ids is not None and table in max_ids:
                where = f" WHERE id <= {int(max_ids[table])}"
            # On PostgreSQL a server-side cursor streams the rows: a client-side one holds the
            # whole table in memory (1.2 GB at province scale, people_classification's 714,000
            # rows; a national register would not fit).  SQLite's cursor streams already.
            rows = cursor if db.vendor == "sqlite" else conn.cursor(name=f"clms_checksum_{table}")
            if rows is not cursor:
                rows.itersize = 5000
            rows.execute(f"SELECT * FROM {_quote(table)}{where} ORDER BY 1")  # noqa: S608
            digest.update(table.encode())
            for row in rows:
                digest.update("\x1f".join(_canonical(v) for v in row).encode())
                digest.update(b"\x1e")
            if rows is not cursor:
                rows.close()
        return counts, digest.hexdigest()
    finally:
        if own:
            conn.close()


# --- encryption ------------------------------------------------------------------------------


# --- PostgreSQL client tools -----------------------------------------------------------------


def _tool_major(tool: str) -> int:
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    if match is None:
        raise BackupError(f"cannot read the version of {tool}: {out!r}")
    return int(match.group(1))


def _server_major(conn: Any) -> tuple[int, str]:
    cursor = conn.cursor()
    cursor.execute("SHOW server_version_num")
    num = int(cursor.fetchone()[0])
    cursor.execute("SHOW server_version")
    return num // 10000, str(cursor.fetchone()[0])


def check_client_version(tool: str, conn: Any) -> str:
    """pg_dump must be at least as new as the server (an older one refuses or, worse, misses
    objects); pg_restore at least as new as the server it writes to."""
    server, server_text = _server_major(conn)
    client = _tool_major(tool)
    if client < server:
        raise BackupError(
            f"{tool} {client} is older than the PostgreSQL server {server}; "
            f"install postgresql-client-{server} (or newer) and run again"
        )
    return server_text


def _run(command: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if proc.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {proc.stderr.strip()[-2000:]}")


# --- backup ---------------------------------------------------------------------------------


# Folders of PRIVATE_MEDIA_ROOT that hold short-lived copies, not records: the register exports
# (clms/people/tasks.py) are personal data deleted after CLMS_EXPORT_KEEP_HOURS, and a backup
# kept for months must not keep them longer; nor uploads waiting for the import worker
# (clms/people/import_tasks.py), deleted once read.
TRANSIENT_DIRS = ("exports", "import-uploads")


def _media_files(media_root: Path | None) -> list[Path]:
    if media_root is None or not media_root.is_dir():
        return []
    return sorted(
        p for p in media_root.rglob("*")
        if p.is_file() and not p.is_symlink() and p.relative_to(media_root).parts[0] not in TRANSIENT_DIRS
    )


def create_backup(
    *,
    db: Database,
    out: Path,
    media_root: Path | None = None,
    passphrase: str | None = None,
    clock: Callable[[], float] | None = None,
) -> Manifest:
    """Write one archive (tar.gz, encrypted when a passphrase is given) to ``out``."""
    import time

    now = clock or time.monotonic
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clms-backup-", dir=out.parent) as tmp_name:
        tmp = Path(tmp_name)
        started = now()
        if db.vendor == "sqlite":
            dump = tmp / "database.sqlite3"
            source = db.connect()
            try:
                target = sqlite3.connect(dump)
                try:
                    # One step (pages=-1): a consistent snapshot; in WAL mode writers go on meanwhile.
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
            counts, checksum = statistics(Database("sqlite", str(dump)))
            server_version = sqlite3.sqlite_version
        else:
            dump = tmp / "database.pgdump"
            conn = db.connect()
            try:
                server_version = check_client_version("pg_dump", conn)
                conn.rollback()
                import psycopg

                conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                conn.read_only = True
                snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
                counts, checksum = statistics(db, connection=conn)
                _run([shutil.which("pg_dump") or "pg_dump", "--format=custom", f"--snapshot={snapshot}",
                      "--no-owner", "--no-privileges", f"--file={dump}", db.name], db.libpq_env())
                conn.rollback()
            finally:
                conn.close()
        dumped = now()
        files = _media_files(media_root)
        manifest = Manifest(
            engine=db.vendor,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            row_counts=counts,
            register_checksum=checksum,
            media_files=len(files),
            server_version=server_version,
            encrypted=bool(passphrase),
        )
        plain = tmp / "archive.tar.gz"
        with tarfile.open(plain, "w:gz", compresslevel=3) as tar:
            manifest_path = tmp / "manifest.json"
            manifest.seconds = {"database": round(dumped - started, 3)}
            manifest_path.write_text(manifest.to_json(), encoding="utf-8")
            tar.add(manifest_path, arcname="manifest.json")
            tar.add(dump, arcname=dump.name)
            assert media_root is not None or not files  # noqa: S101 - files come from media_root
            for path in files:
                tar.add(path, arcname=f"private/{path.relative_to(media_root).as_posix()}")  # type: ignore[arg-type]
        partial = out.with_name(out.name + ".partial")
        if passphrase:
            encrypt_file(plain, partial, passphrase)
        else:
            shutil.move(plain, partial)
        # Only a complete archive gets the final name: a crash leaves a .partial, never a
        # truncated file that looks like a backup.
        os.replace(partial, out)
        manifest.seconds["total"] = round(now() - started, 3)
        return manifest


# --- restore --------------------------------------------------------------------------------


@contextmanager
def _opened_archive(path: Path, passphrase: str | None, tmp: Path) -> Iterator[tarfile.TarFile]:
    if is_encrypted(path):
        if not passphrase:
            raise BackupError("the backup is encrypted: give its passphrase")
        plain = tmp / "archive.tar.gz"
        decrypt_file(path, plain, passphrase)
        path = plain
    try:
        tar = tarfile.open(path, "r:*")
    except tarfile.TarError as exc:
        raise BackupError(f"not a CLMS backup: {exc}") from None
    with tar:
        yield tar


def read_manifest(path: Path, passphrase: str | None = None) -> Manifest:
    with tempfile.TemporaryDirectory(prefix="clms-restore-") as tmp, _opened_archive(path, passphrase, Path(tmp)) as tar:
        member = tar.extractfile("manifest.json")
        if member is None:
            raise BackupError("the archive has no manifest.json")
        return Manifest.from_json(member.read().decode())


def _is_empty(db: Database) -> bool:
    if db.vendor == "sqlite" and not db.name.startswith("file:") and not Path(db.name).exists():
        return True
    conn = db.connect()
    try:
        return not _tables(conn.cursor(), db.vendor)
    finally:
        conn.close()


def _copy(fin: IO[bytes], dst: Path) -> None:
    with dst.open("wb") as fout:
        shutil.copyfileobj(fin, fout, CHUNK)


def restore_backup(
    *,
    archive: Path,
    db: Database,
    media_root: Path | None = None,
    passphrase: str | None = None,
    replace: bool = False,
) -> Manifest:
    """Restore ``archive`` into ``db`` (and the uploads into ``media_root``), then verify it.

    Refuses to overwrite a database that has tables unless ``replace``.  Stop the application
    first: a restore replaces the database under it.
    """
    if not replace and not _is_empty(db):
        raise BackupError(f"the database {db.name} is not empty; restore into an empty one or replace it")
    with tempfile.TemporaryDirectory(prefix="clms-restore-") as tmp_name:
        tmp = Path(tmp_name)
        with _opened_archive(archive, passphrase, tmp) as tar:
            names = tar.getnames()
            if "manifest.json" not in names:
                raise BackupError("the archive has no manifest.json")
            member = tar.extractfile("manifest.json")
            assert member is not None  # noqa: S101 - checked just above
            manifest = Manifest.from_json(member.read().decode())
            if manifest.engine != db.vendor:
                raise BackupError(f"the backup is of a {manifest.engine} database; the target is {db.vendor}")
            dump_name = "database.sqlite3" if db.vendor == "sqlite" else "database.pgdump"
            dump_member = tar.extractfile(dump_name)
            if dump_member is None:
                raise BackupError(f"the archive has no {dump_name}")
            dump = tmp / dump_name
            _copy(dump_member, dump)
            media = [m for m in tar.getmembers() if m.name.startswith("private/") and m.isfile()]
            if media and media_root is not None:
                staging = tmp / "media"
                # The "data" filter refuses absolute paths, "..", links out of the tree, devices.
                tar.extractall(staging, members=media, filter="data")
        if db.vendor == "sqlite":
            _restore_sqlite(dump, db, manifest)
        else:
            _restore_postgresql(dump, db, replace=replace)
        counts, checksum = statistics(db)
        if counts != manifest.row_counts or checksum != manifest.register_checksum:
            differing = sorted(t for t in set(counts) | set(manifest.row_counts)
                               if counts.get(t) != manifest.row_counts.get(t))
            raise BackupError(f"the restored database differs from the backup (tables: {', '.join(differing) or 'register content'})")
        if media and media_root is not None:
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(tmp / "media" / "private", media_root, dirs_exist_ok=True)
    return manifest


def _restore_sqlite(dump: Path, db: Database, manifest: Manifest) -> None:
    counts, checksum = statistics(Database("sqlite", str(dump)))
    if counts != manifest.row_counts or checksum != manifest.register_checksum:
        raise BackupError("the database in the archive does not match its manifest")
    if db.name.startswith("file:"):  # an in-memory database: copy through the backup API
        source, target = sqlite3.connect(dump), db.connect()
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    target_path = Path(db.name)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    staged = target_path.with_name(target_path.name + ".restoring")
    shutil.copyfile(dump, staged)
    for suffix in ("-wal", "-shm"):
        Path(str(target_path) + suffix).unlink(missing_ok=True)
    os.replace(staged, target_path)


def _restore_postgresql(dump: Path, db: Database, *, replace: bool) -> None:
    conn = db.connect()
    try:
        check_client_version("pg_restore", conn)
    finally:
        conn.close()
    command = [shutil.which("pg_restore") or "pg_restore", "--single-transaction", "--exit-on-error",
               "--no-owner", "--no-privileges", f"--dbname={db.name}"]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump)], db.libpq_env())
