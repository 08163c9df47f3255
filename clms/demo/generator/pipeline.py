"""Writing one batch while the next is built: a single writer thread with its own connection.

On PostgreSQL the server's share of a batch (parsing COPY, index entries, the foreign-key
checks at commit) is about a third of the run; with a writer thread it runs on the other
core while this thread builds the next clusters.  Batches are written in order, one at a
time, and the next is handed over only when the previous one is in, so every row referenced
by a later batch has its id when that batch is written: the rows are the ones the plain loop
writes.  Only outside a transaction (``manage.py generate``): a writer's own connection
cannot see rows of an open transaction (a TestCase's), so there the loop writes itself.
``CLMS_GENERATOR_PIPELINE=0`` turns it off.

The cyclic garbage collector is off for the run: the automatic one ran 44 full collections
over the rows built so far at province scale (each over the batch being built, ~800,000
objects), a third of the run's time.  A written batch has no cycles left (``Batch.write``
empties the relation caches), so reference counting frees it; a full collection every
``COLLECT_EVERY`` batches frees whatever other cycles a run leaves.  What is alive when the
run starts (Django, the units) is frozen out of those collections.
"""


from __future__ import annotations

import gc
import os
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from django.db import connection, connections, transaction

from clms.demo.generator.base import Batch

COLLECT_EVERY = 10


def _skip_fk_checks() -> bool:
    """Whether the writer may turn the foreign-key triggers off for its batches.

    At commit PostgreSQL checks every new row's foreign keys, one index look-up per key
    (several million at province scale): a sixth of the writer's time.  The generator's rows
    point only to rows it wrote before, in the same batch or in an earlier one, which the
    tests check with the triggers on (the plain loop, SQLite and ``CLMS_GENERATOR_FK_CHECKS=1``
    keep them).  ``session_replication_role = replica`` is what turns them off; only a
    superuser may set it, anyone else keeps the checks."""
    if os.environ.get("CLMS_GENERATOR_FK_CHECKS", "0") == "1":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        (superuser,) = cursor.fetchone()
    return bool(superuser)


def _write(batch: Batch, counts: Counter[str], first: bool, skip_fk_checks: list[bool]) -> None:
    if first and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")  # as the main connection (build.py)
        skip_fk_checks.append(_skip_fk_checks())
    with transaction.atomic():
        if skip_fk_checks[0]:
            with connection.cursor() as cursor:
                # LOCAL: until this batch's commit; the database's own triggers are the only ones.
                cursor.execute("SET LOCAL session_replication_role = replica")
        batch.write(counts)


class Writer:
    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts
        self.threaded = (
            connection.vendor == "postgresql" and not connection.in_atomic_block
            and os.environ.get("CLMS_GENERATOR_PIPELINE", "1") != "0"
        )
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="generator-writer") if self.threaded else None
        self.pending: Future[None] | None = None
        self.first = True
        self.batches = 0
        self.skip_fk_checks: list[bool] = []  # decided by the writer on its own connection

    def write(self, batch: Batch) -> None:
        """Write ``batch`` (now, or in the writer while the caller goes on); do not touch it after."""
        self.batches += 1
        if self.pool is None:
            with transaction.atomic():
                batch.write(self.counts)
            self._collect()
            return
        self.wait()
        self._collect()
        self.pending = self.pool.submit(_write, batch, self.counts, self.first, self.skip_fk_checks)
        self.first = False

    def _collect(self) -> None:
        if self.batches % COLLECT_EVERY == 0:
            gc.collect()

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # re-raises the writer's error here

    def __enter__(self) -> Writer:
        self.gc_was_enabled = gc.isenabled()
        gc.collect()
        gc.freeze()
        gc.disable()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self._finish(kind)
        finally:
            gc.unfreeze()
            if self.gc_was_enabled:
                gc.enable()

    def _finish(self, kind: type[BaseException] | None) -> None:
        if self.pool is None:
            return
        try:
            if kind is None:
                self.wait()
            elif self.pending is not None:
                self.pending.exception()  # let it finish before the connection goes
        finally:
            self.pool.submit(connections.close_all).result()  # the writer thread's own connection
            self.pool.shutdown()
