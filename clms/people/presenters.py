"""What the register's pages show of stored decisions: labels, badges and fines."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from clms.core.templatetags.vn_format import vn_number
from clms.people.models import Classification, WorkObservation
from clms.people.risk import FACTOR_LABELS
from clms.rules import FIELD_LABELS, catalogue

CATEGORY_LABELS = {
    "NOT_CHILD_LABOUR": _("Not child labour"),
    "PERMITTED_WITH_CONDITIONS": _("Permitted if conditions are met"),
    "CHILD_LABOUR": _("Child labour"),
    "HAZARDOUS_CHILD_LABOUR": _("Hazardous child labour"),
    "OUT_OF_SCOPE": _("Out of scope"),
    "NOT_CLASSIFIED": _("Not classified"),
}
CATEGORY_BADGES = {
    "NOT_CHILD_LABOUR": "ok",
    "PERMITTED_WITH_CONDITIONS": "warn",
    "CHILD_LABOUR": "bad",
    "HAZARDOUS_CHILD_LABOUR": "bad",
}
RISK_BADGES = {"low": "ok", "medium": "warn", "high": "bad"}
RULESET_LABELS = {
    "vn-law": _("Vietnamese law"),
    "mics6": _("Statistics (MICS6)"),
    "sdg2021": _("Statistics (SDG 8.7.1)"),
}


def money(amount: int) -> str:
    return vn_number(int(amount))


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


def _entry_name(code: str) -> str:
    if not code:
        return ""
    try:
        return catalogue.get(code).name
    except KeyError:
        return code


def decision_view(row: Classification) -> dict[str, Any]:
    violations = []
    for v in row.violations:
        fine: dict[str, str] | None = None
        sanction = v.get("sanction")
        if sanction:
            low, high = sanction["fine_individual"]
            org_low, org_high = sanction["fine_organisation"]
            point = f"điểm {sanction['point']} " if sanction.get("point") else ""
            fine = {
                "citation": f"{point}khoản {sanction['clause']} Điều {sanction['article']} {sanction['decree']}",
                "individual": f"{money(low)}–{money(high)}",
                "organisation": f"{money(org_low)}–{money(org_high)}",
            }
        violations.append({"description": v["description"], "legal_basis": v["legal_basis"], "fine": fine})
    return {
        "ruleset": row.ruleset,
        "ruleset_label": RULESET_LABELS.get(row.ruleset, row.ruleset),
        "ruleset_id": row.ruleset_id,
        "category": row.category,
        "label": category_label(row.category),
        "badge": CATEGORY_BADGES.get(row.category, ""),
        "age": row.age,
        "references": row.references,
        "violations": violations,
        "conditions": row.conditions,
        "missing": [FIELD_LABELS.get(m, m) for m in row.missing],
        "explanation": row.explanation,
        "summary": decision_summary(row.category, row.references),
    }


def decision_summary(category: str, references: list[dict[str, Any]]) -> str:
    """One sentence that leads the legal explanation: the decision and the rule that decided
    it, e.g. "Lao động trẻ em: … (Điều 146 khoản 1 Bộ luật Lao động 2019)."; the articles and
    the conditions follow it on the page."""
    label = category_label(category)
    first = next((r for r in references if r.get("explanation")), None)
    if first is None:
        return f"{label}."
    reason = str(first["explanation"]).rstrip(". ")
    article = first.get("article") or ""
    return f"{label}: {reason}" + (f" ({article})." if article else ".")


def observation_view(observation: WorkObservation) -> dict[str, Any]:
    """One timeline entry; the observation's classifications must be prefetched."""
    current = {c.ruleset: c for c in observation.classifications.all() if c.is_current}
    law = current.get("vn-law")
    return {
        "observation": observation,
        "job": _entry_name(observation.job_code),
        "workplace": _entry_name(observation.workplace_code),
        "hazards": [_entry_name(c) for c in observation.hazards],
        "worst_forms": [_entry_name(c) for c in observation.worst_forms],
        "law": decision_view(law) if law else None,
        "statistics": [decision_view(current[r]) for r in ("mics6", "sdg2021") if r in current],
    }


def factor_labels(factors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"label": FACTOR_LABELS.get(f["code"], f["code"]), "weight": f.get("weight")} for f in factors]
