"""Stored per-year facts: the counts of a closed year, so a table reads them instead of the
records (``clms.indicators.facts`` says when a fact is valid)."""

from __future__ import annotations

from django.db import models


class IndicatorFact(models.Model):
    """The counts of one indicator for one scope, structure, year and breakdown, as
    ``clms.indicators.base.Counts`` holds them (numerators, denominators, flags and groups per
    row and for the total), without statuses: those compare with targets, which can change.

    ``fingerprint`` digests what the counts were computed from (the code's version, the unit
    map, and the records that can count for the year); a fact whose fingerprint differs from
    the current one is computed again."""

    scope = models.ForeignKey("places.AdminUnit", models.CASCADE, related_name="+")
    structure = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    # "" for no breakdown.
    by = models.CharField(max_length=16, blank=True)
    code = models.CharField(max_length=32)
    counts = models.JSONField()
    fingerprint = models.CharField(max_length=64)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "structure", "year", "by", "code"], name="indicator_fact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year} {self.structure} {self.by or '-'} @{self.scope_id}"
