"""Writing one batch while the next is built: a single writer thread with its own connection.

On PostgreSQL the server's share of a batch (parsing COPY, index entries, the foreign-key
checks at commit) is about a third of the run; with a writer thread it runs on the other
core while this thread builds the next clusters.  Batches are written in order, one at a
time, and the next is handed over only when the previous one is in, so every row referenced
by a later batch has its id when that batch is written: the rows are the ones the plain loop
writes.  Only outside a transaction (``manage.py generate``): a writer's own connection
cannot see rows of an open transaction (a TestCase's), so there the loop writes itself.
``CLMS_GENERATOR_PIPELINE=0`` turns it off.
"""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from django.db import connection, connections, transaction

from clms.demo.generator.base import Batch


def _write(batch: Batch, counts: Counter[str], first: bool) -> None:
    if first and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")  # as the main connection (build.py)
    with transaction.atomic():
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

    def write(self, batch: Batch) -> None:
        """Write ``batch`` (now, or in the writer while the caller goes on); do not touch it after."""
        if self.pool is None:
            with transaction.atomic():
                batch.write(self.counts)
            return
        self.wait()
        self.pending = self.pool.submit(_write, batch, self.counts, self.first)
        self.first = False

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # re-raises the writer's error here

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
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
