"""COPY on PostgreSQL writes exactly what the INSERT path writes, for the same seed."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from unittest import mock, skipUnless

from django.db import connection
from django.test import override_settings

from clms.demo.generator import fingerprint, flush, generate
from clms.demo.generator.insert import use_copy
from clms.people.models import Child
from tests.base import PersonaTestCase

AS_OF = dt.date(2026, 11, 28)
VAR_DIR = tempfile.mkdtemp(prefix="clms-generate-copy-")


def _children_checksum() -> str:
    """Every stored column of every child but the keys of rows the flush renumbers and the clock's."""
    from clms.places.models import AdminUnit

    fields = [
        f.attname for f in Child._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
        and (not f.is_relation or f.related_model is AdminUnit)
    ]
    h = hashlib.sha256()
    for row in sorted(repr(r) for r in Child.objects.values_list(*fields)):
        h.update(row.encode())
    return h.hexdigest()


@override_settings(VAR_DIR=VAR_DIR)
@skipUnless(connection.vendor == "postgresql", "COPY is the PostgreSQL path; SQLite keeps INSERT")
class CopyMatchesInsertTestCase(PersonaTestCase):
    def _run(self, copy: bool) -> tuple[dict[str, int], dict[str, str], str]:
        with mock.patch.dict(os.environ, {"CLMS_GENERATOR_COPY": "1" if copy else "0"}):
            self.assertEqual(use_copy(connection), copy)
            result = generate(scale="commune", seed=7, as_of=AS_OF)
        return dict(result.counts), fingerprint(), _children_checksum()

    def test_copy_and_insert_give_the_same_rows(self) -> None:
        by_insert = self._run(copy=False)
        flush()
        by_copy = self._run(copy=True)
        self.assertGreater(by_copy[0]["people.child"], 0)
        self.assertEqual(by_copy[0], by_insert[0])  # row counts, table by table
        self.assertEqual(by_copy[1], by_insert[1])  # the generator's own fingerprint
        self.assertEqual(by_copy[2], by_insert[2])  # every column of the children
