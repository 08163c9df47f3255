"""The law as code: classify a child's work under Vietnamese law or a statistical standard.

Pure Python; nothing here imports Django. Typical use::

    from clms.rules import classify, Situation, Category
    decision = classify(situation, ruleset="vn-law")   # also "mics6", "sdg2021"

Spec: ``shared/spec/legal-rules.md`` §2, §3, §5, §8; the lists are data files in
``catalogues/`` (see ``clms.rules.catalogue``).
"""

from __future__ import annotations

from . import catalogue
from .dates import age_in_months, age_in_years
from .decision import Decision
from .engine import Comparison, classify, compare
from .model import (
    FIELD_LABELS,
    SEVERITY,
    Category,
    Condition,
    Reference,
    Sanction,
    Situation,
    Violation,
)
from .rulesets import RULESETS, RulesetInfo, RulesetNotAvailable
from .sanctions import decree_for
from .text import fold

__all__ = [
    "FIELD_LABELS",
    "RULESETS",
    "SEVERITY",
    "Category",
    "Comparison",
    "Condition",
    "Decision",
    "Reference",
    "RulesetInfo",
    "RulesetNotAvailable",
    "Sanction",
    "Situation",
    "Violation",
    "age_in_months",
    "age_in_years",
    "catalogue",
    "classify",
    "compare",
    "decree_for",
    "fold",
]
