"""The PostgreSQL session the application runs its queries in."""

from __future__ import annotations

import unittest

from django.db import connection
from django.test import TestCase


@unittest.skipUnless(connection.vendor == "postgresql", "PostgreSQL only")
class PostgresSessionTestCase(TestCase):
    def test_jit_is_off(self) -> None:
        # LLVM compiled the indicators' aggregates for longer than they ran (clms/settings.py).
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            self.assertEqual(cursor.fetchone(), ("off",))
