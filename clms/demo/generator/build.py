"""The synthetic-data generator: households, children, their work, cases, employers, outreach.

Speed comes from doing everything in memory per cluster (a new commune and the old ones it
absorbed) and writing with bulk_create in batches; correctness from reusing the code the
services use: ``clms.people.classification.build_classifications`` for the stored
classifications, ``register_status_for`` and ``clms.people.risk`` for the denormalised child
fields, ``clms.cases.calendar`` and the DuePolicy rows for due times.

Generated rows are marked by their author, the inactive user ``generator`` (``created_by``,
``filed_by``, ``updated_by``; craft villages, which have no author, by their note), which is
what ``--flush`` deletes and what the "other data present" check looks past.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from clms.demo.generator.base import (
    BATCH,
    Batch,
    GeneratorRefused,
    Result,
    dated_rows,
    flush,
    foreign_records,
    generator_user,
)
from clms.demo.generator.build_employers import EmployerRows
from clms.demo.generator.build_outreach import OutreachRows
from clms.demo.generator.build_register import RegisterRows
from clms.demo.generator.pipeline import Writer
from clms.demo.generator.units import (
    NATIONAL_REGISTER_SHARE,
    SCALES,
    Cluster,
    clusters_for,
    ensure_units,
    ensure_villages,
)
from clms.people.models import (
    Child,
)


class Generator(EmployerRows, RegisterRows, OutreachRows):
    def run(self) -> Result:
        started = time.perf_counter()
        if connection.vendor == "sqlite":
            # SQLite's default 2 MB page cache makes index pages of large inserts spill to
            # disk again and again; this connection gets 256 MB for the run.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size=-262144")
        elif connection.vendor == "postgresql":
            # Each batch's commit would wait for its WAL to reach the disk; a crash in the
            # middle of a run loses at most the last batches (never consistency), and a
            # partial run is flushed and regenerated anyway.  This session only, reset below.
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        try:
            return self._run(started)
        finally:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("RESET synchronous_commit")

    def _run(self, started: float) -> Result:
        ensure_units(self.scale, self.provinces)
        clusters = clusters_for(self.scale, seed=self.seed, provinces=self.provinces)
        ensure_villages(clusters, created_by=self.gen)
        total_population = sum(c.total_population for c in clusters)
        if self.scale.children is None:
            self.share = NATIONAL_REGISTER_SHARE
        else:
            self.share = self.scale.children / max(total_population, 1)
        self.result.clusters = len(clusters)
        batch = Batch()
        with dated_rows(), Writer(self.result.counts) as writer:
            for cluster in clusters:
                self._cluster(cluster, batch)
                if batch.children >= BATCH:
                    writer.write(batch)
                    batch = Batch()
            if batch.rows:
                writer.write(batch)
        if self.scale.name == "district":
            self._survey_round(clusters)
        self.result.seconds = time.perf_counter() - started
        self.result.duplicates_file = self._write_truth()
        return self.result

    def _survey_round(self, clusters: list[Any]) -> None:
        """A household survey of the district with a known true rate (issue 20)."""
        from clms.surveys.generator import generate_for_clusters
        from clms.surveys.models import SurveyMember

        with transaction.atomic():
            survey = generate_for_clusters(clusters=clusters, seed=self.seed, user=self.gen)
        if survey is not None:
            self.result.counts["surveys.SurveyMember"] += SurveyMember.objects.filter(household__round=survey).count()

    def _write_truth(self) -> str:
        path = Path(settings.VAR_DIR) / "generated-duplicates.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        pairs = [
            {"original": d["original"].pk, "duplicate": d["duplicate"].pk, "mistakes": d["mistakes"]}
            for d in self.result.duplicates
        ]
        self.result.duplicates = pairs
        payload = {"scale": self.scale.name, "seed": self.seed, "database": connection.vendor, "pairs": pairs}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
        return str(path)

    def _cluster(self, cluster: Cluster, batch: Batch) -> None:
        rng = cluster.rng(self.seed, "register")
        employers = self._employers(cluster, batch)
        plans = self._register(cluster, rng, employers, batch)
        self._inspections(cluster, employers, plans, batch)
        self._outreach(cluster, employers, batch)
        self._denominators(cluster, employers, batch)


def generate(
    *, scale: str, seed: int, flush_first: bool = False, force: bool = False, as_of: dt.date | None = None,
    provinces: list[str] | None = None, children: int | None = None,
) -> Result:
    """Generate a scale's data; refuses a database with other records unless ``force``.

    ``children`` overrides the scale's number of registered children (same places, fewer
    records): the tests build a small district in a fraction of the time."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose from {', '.join(SCALES)}")
    if scale == "nation" and connection.vendor != "postgresql":
        raise GeneratorRefused("The nation scale runs on PostgreSQL only.")
    gen = generator_user()
    if flush_first:
        flush(gen)
    foreign = foreign_records(gen)
    if foreign and not force:
        raise GeneratorRefused(
            f"The database holds records the generator did not make ({', '.join(foreign)}); use --force to add to them."
        )
    if Child.objects.filter(created_by=gen).exists():
        raise GeneratorRefused("Generated data is already present; use --flush to replace it.")
    chosen = SCALES[scale] if children is None else dataclasses.replace(SCALES[scale], children=children)
    return Generator(scale=chosen, seed=seed, as_of=as_of, provinces=provinces).run()
