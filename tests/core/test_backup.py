"""Backups that restore: a backup taken while another thread writes, restored into a fresh
database, gives back a consistent snapshot (row counts and the register's checksum)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import SimpleTestCase, TestCase, TransactionTestCase

from clms.core.backup import (
    BackupError,
    Database,
    create_backup,
    decrypt_file,
    encrypt_file,
    restore_backup,
    statistics,
)
from tests.base import build_personas
from tests.people.factories import ChildFactory, HouseholdFactory

PASSPHRASE = "một câu dài để mã hóa bản sao lưu"


def _clone_sql(cursor: Any, table: str, placeholder: str) -> str:
    cursor.execute(f"SELECT * FROM {table} LIMIT 0")  # noqa: S608 - fixed table names
    columns = [d[0] for d in cursor.description if d[0] != "id"]
    select = ["''" if c == "personal_id" else c for c in columns]
    return f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(select)} FROM {table} WHERE id = {placeholder}"  # noqa: S608


class Writer(threading.Thread):
    """Clones a child and its household again and again, committing each, until stopped."""

    def __init__(self, db: Database) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.warmed = threading.Event()
        self.written = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            conn = self.db.connect()
            placeholder = "?" if self.db.vendor == "sqlite" else "%s"
            cursor = conn.cursor()
            cursor.execute("SELECT MIN(id) FROM people_child")
            first = cursor.fetchone()[0]
            child_sql = _clone_sql(cursor, "people_child", placeholder)
            household_sql = _clone_sql(cursor, "people_household", placeholder)
            cursor.execute("SELECT MIN(id) FROM people_household")
            household = cursor.fetchone()[0]
            if self.db.vendor != "sqlite":
                conn.commit()
            while not self.stop.is_set() and self.written < 5000:
                # Child and household in one transaction: a consistent snapshot has both or neither.
                if self.db.vendor == "sqlite":
                    cursor.execute("BEGIN IMMEDIATE")
                cursor.execute(child_sql, (first,))
                cursor.execute(household_sql, (household,))
                if self.db.vendor == "sqlite":
                    cursor.execute("COMMIT")
                else:
                    conn.commit()
                self.written += 1
                if self.written == 20:
                    self.warmed.set()
            conn.close()
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc
            self.warmed.set()


def _max_ids(db: Database) -> dict[str, int]:
    conn = db.connect()
    try:
        cursor = conn.cursor()
        out = {}
        for table in ("people_child", "people_household"):
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            out[table] = int(cursor.fetchone()[0])
        return out
    finally:
        conn.close()


class RoundTrip:
    """The shared body of the SQLite and PostgreSQL tests."""

    def round_trip(self: Any, source: Database, target: Database, tmp: Path) -> None:
        media = tmp / "private"
        (media / "imports").mkdir(parents=True)
        (media / "imports" / "danh-sach.xlsx").write_bytes(b"PK\x03\x04 uploaded file")
        before = statistics(source)[0]["people_child"]
        writer = Writer(source)
        writer.start()
        writer.warmed.wait(30)
        written_at_start = writer.written
        archive = tmp / "backup.tar.gz.enc"
        try:
            manifest = create_backup(db=source, out=archive, media_root=media, passphrase=PASSPHRASE)
            written_at_end = writer.written
        finally:
            writer.stop.set()
            writer.join(30)
        self.assertIsNone(writer.error)
        # The writer was busy on both sides of the backup.
        self.assertGreater(written_at_start, 0)
        self.assertGreater(writer.written, written_at_end - 1)
        after = statistics(source)[0]["people_child"]
        self.assertGreater(after, before)

        restored_media = tmp / "restored-private"
        restore_backup(archive=archive, db=target, media_root=restored_media, passphrase=PASSPHRASE)
        counts, checksum = statistics(target)
        self.assertEqual(counts, manifest.row_counts)
        self.assertEqual(checksum, manifest.register_checksum)
        self.assertTrue(before < counts["people_child"] <= after)
        # A consistent snapshot: the restored register is exactly the source's rows up to the
        # last id it holds, in every register table (no child without the household cloned with it).
        self.assertEqual(counts["people_child"] - before, counts["people_household"] - self.households_before)
        prefix = statistics(source, max_ids=_max_ids(target))[1]
        self.assertEqual(prefix, checksum)
        self.assertEqual((restored_media / "imports" / "danh-sach.xlsx").read_bytes(), b"PK\x03\x04 uploaded file")

        with self.assertRaisesRegex(BackupError, "not empty"):
            restore_backup(archive=archive, db=target, media_root=None, passphrase=PASSPHRASE)
        with self.assertRaisesRegex(BackupError, "wrong passphrase"):
            restore_backup(archive=archive, db=target, media_root=None, passphrase="sai", replace=True)
        with self.assertRaisesRegex(BackupError, "encrypted"):
            restore_backup(archive=archive, db=target, media_root=None, passphrase=None, replace=True)


def _seed() -> None:
    personas: Any = type("P", (), {})
    build_personas(personas)
    for n in range(30):
        household = HouseholdFactory.create(village=personas.village_a)
        ChildFactory.create(village=personas.village_a, household=household, personal_id=f"0381{n:08d}",
                            dob=dt.date(2012, 1, 1) + dt.timedelta(days=n))


def _copy_test_database(path: Path) -> None:
    """A real file database in WAL mode with the test database's schema and rows (the test
    database lives in memory inside this test's open transaction, which the backup API would
    wait on for ever: dump it as SQL instead)."""
    connection.ensure_connection()
    script = "\n".join(connection.connection.iterdump())
    target = sqlite3.connect(path, isolation_level=None)
    try:
        target.executescript(script)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip runs in the SQLite suite")
class SQLiteBackupTestCase(RoundTrip, TestCase):
    def test_it_restores_a_backup_taken_while_another_thread_writes(self) -> None:
        import tempfile

        _seed()
        self.households_before = 30
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            source_path = tmp / "clms.sqlite3"
            _copy_test_database(source_path)
            self.round_trip(Database("sqlite", str(source_path)), Database("sqlite", str(tmp / "restored.sqlite3")), tmp)

    def test_the_commands_back_up_and_restore_the_configured_database(self) -> None:
        import tempfile
        from io import StringIO

        _seed()
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            source_path = tmp / "clms.sqlite3"
            _copy_test_database(source_path)
            from unittest import mock

            conf = {**connection.settings_dict, "NAME": str(source_path)}
            out = StringIO()
            with mock.patch.dict(connection.settings_dict, conf), self.settings(PRIVATE_MEDIA_ROOT=tmp / "none"):
                call_command("backup", "--out", str(tmp / "b.tar.gz"), stdout=out)
            self.assertIn("0 uploaded files", out.getvalue())
            self.assertIn("not encrypted", out.getvalue())
            call_command("restore", str(tmp / "b.tar.gz"), "--database-url", f"sqlite:///{tmp / 'r.sqlite3'}",
                         "--no-media", stdout=out)
            self.assertIn("match the backup", out.getvalue())
            self.assertEqual(statistics(Database("sqlite", str(tmp / "r.sqlite3")))[0]["people_child"], 30)
            with self.assertRaisesRegex(CommandError, "not empty"):
                call_command("restore", str(tmp / "b.tar.gz"), "--database-url", f"sqlite:///{tmp / 'r.sqlite3'}",
                             "--no-media", stdout=out)

    def test_the_commands_run_without_the_secret_key_and_a_server_does_not(self) -> None:
        """Root's cron lines hold no CLMS_SECRET_KEY: backup, restore and retention sign nothing, so they
        run without it, in a fresh process with production's settings."""
        import os
        import subprocess  # noqa: S404 - our own manage.py, fixed arguments
        import sys
        import tempfile

        _seed()
        manage = Path(__file__).resolve().parents[2] / "manage.py"
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            _copy_test_database(tmp / "clms.sqlite3")
            keep = ("PATH", "HOME", "LANG", "PYTHONPATH", "VIRTUAL_ENV")
            env = {k: v for k, v in os.environ.items() if k in keep}
            env |= {"DATABASE_URL": f"sqlite:///{tmp / 'clms.sqlite3'}", "CLMS_VAR_DIR": str(tmp)}

            def manage_py(*args: str) -> subprocess.CompletedProcess[str]:
                return subprocess.run([sys.executable, str(manage), *args], env=env, cwd=tmp, capture_output=True,  # noqa: S603
                                      text=True, timeout=120, check=False)

            backup = manage_py("backup", "--out", str(tmp / "b.tar.gz"), "--no-media")
            self.assertEqual(backup.returncode, 0, backup.stderr)
            self.assertIn("not encrypted", backup.stdout)
            restore = manage_py("restore", str(tmp / "b.tar.gz"), "--database-url", f"sqlite:///{tmp / 'r.sqlite3'}", "--no-media")
            self.assertEqual(restore.returncode, 0, restore.stderr)
            self.assertIn("match the backup", restore.stdout)
            self.assertEqual(statistics(Database("sqlite", str(tmp / "r.sqlite3")))[0]["people_child"], 30)
            retention = manage_py("retention")  # root's monthly line: counts only without --apply
            self.assertEqual(retention.returncode, 0, retention.stderr)
            # A command that serves requests still refuses to start without the key, and a
            # key that is given must be a real one, for the backup too.
            served = manage_py("check")
            self.assertNotEqual(served.returncode, 0)
            self.assertIn("CLMS_SECRET_KEY", served.stderr)
            env["CLMS_SECRET_KEY"] = "short"
            weak = manage_py("backup", "--out", str(tmp / "c.tar.gz"), "--no-media")
            self.assertNotEqual(weak.returncode, 0)
            self.assertIn("at least 40 characters", weak.stderr)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL round trip runs in the PostgreSQL suite")
class PostgreSQLBackupTestCase(RoundTrip, TransactionTestCase):
    def test_it_restores_a_backup_taken_while_another_thread_writes(self) -> None:
        import tempfile

        import psycopg

        _seed()
        self.households_before = 30
        source = Database.from_settings(connection.settings_dict)
        target = source.with_name(source.name + "_restore")
        admin = psycopg.connect(dbname="postgres", host=source.host or None, port=source.port or None,
                                user=source.user or None, password=source.password or None, autocommit=True)
        try:
            admin.execute(f'DROP DATABASE IF EXISTS "{target.name}"')
            admin.execute(f'CREATE DATABASE "{target.name}"')
            with tempfile.TemporaryDirectory() as tmp_name:
                self.round_trip(source, target, Path(tmp_name))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{target.name}" WITH (FORCE)')
            admin.close()


class EncryptionTestCase(SimpleTestCase):
    def test_it_encrypts_and_refuses_a_tampered_file(self) -> None:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            plain = tmp / "a"
            plain.write_bytes(b"tr\xe1\xba\xbb em " * 300_000)  # several chunks
            encrypt_file(plain, tmp / "a.enc", PASSPHRASE)
            self.assertNotIn(b"tr\xe1\xba\xbb em", (tmp / "a.enc").read_bytes()[:4096])
            decrypt_file(tmp / "a.enc", tmp / "b", PASSPHRASE)
            self.assertEqual((tmp / "b").read_bytes(), plain.read_bytes())
            data = bytearray((tmp / "a.enc").read_bytes())
            data[100] ^= 1
            (tmp / "c.enc").write_bytes(bytes(data))
            with self.assertRaisesRegex(BackupError, "damaged"):
                decrypt_file(tmp / "c.enc", tmp / "c", PASSPHRASE)
