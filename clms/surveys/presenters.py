"""How survey figures are said: tables of a round, and the survey estimate beside the register's
CL_RATE, each labelled for what it is, compared with the national and local targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from clms.core.templatetags.vn_format import vn_number
from clms.places.models import AdminUnit
from clms.surveys.estimation import AGE_BANDS

RULESET_NAMES = {"vn-law": "Pháp luật Việt Nam", "mics6": "MICS6 (UNICEF)", "sdg2021": "SDG 8.7.1 (ILO 2021)"}
PRIMARY = "vn-law"


def pct(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else f"{vn_number(value * 100, decimals)} %"


def domain_label(key: str) -> str:
    if key == "all":
        return _("All children 5–17")
    if key == "sex:M":
        return _("Boys")
    if key == "sex:F":
        return _("Girls")
    band = key.split(":", 1)[1]
    for name, low, high in AGE_BANDS:
        if name == band:
            return _("Aged %(low)s–%(high)s") % {"low": low, "high": high}
    return key


def estimate_tables(estimates: dict[str, Any]) -> list[dict[str, Any]]:
    tables = []
    for ruleset, domains in estimates["estimates"].items():
        rows = []
        for key, figures in domains.items():
            rate, share = figures["rate"], figures["hazardous_share"]
            rows.append({
                "label": domain_label(key),
                "rate": pct(rate["value"]), "se": pct(rate["se"], 2),
                "ci": f"{pct(rate['low'])} – {pct(rate['high'])}" if rate["value"] is not None else "—",
                "count": rate["count"], "cases": rate["cases"],
                "hazardous": pct(share["value"]),
                "hazardous_ci": f"{pct(share['low'])} – {pct(share['high'])}" if share["value"] is not None else "—",
            })
        tables.append({"ruleset": ruleset, "name": RULESET_NAMES.get(ruleset, ruleset), "rows": rows})
    return tables


@dataclass
class Beside:
    """The survey's rate and the register's, for one unit and year."""

    survey_text: str
    register_text: str
    targets: list[str]
    survey_pk: int | None
    response_rate: str


def survey_sentence(estimates: dict[str, Any]) -> str:
    rate = estimates["estimates"][PRIMARY]["all"]["rate"]
    return _("%(rate)s: estimate from the household survey of %(year)s, 95 %% confidence interval: %(low)s – %(high)s "
             "(%(n)s children 5–17 in %(households)s households; response rate %(response)s)") % {
        "rate": pct(rate["value"]), "year": estimates["year"], "low": pct(rate["low"]), "high": pct(rate["high"]),
        "n": vn_number(rate["count"]), "households": vn_number(estimates["households"]["completed"]),
        "response": pct(estimates["response_rate"], 0),
    }


def register_sentence(value: float | None, numerator: int | None, denominator: int | None) -> str:
    if value is None:
        return _("Register: no figure (no denominator of children 5–17 for the year).")
    return _("%(rate)s: children found in child labour in the register (%(n)s of %(d)s children 5–17); it counts "
             "the children the network found, not all children in child labour") % {
        "rate": f"{vn_number(value, 2)} %", "n": vn_number(numerator), "d": vn_number(denominator),
    }


def target_sentences(estimates: dict[str, Any], unit: AdminUnit, year: int) -> list[str]:
    """The survey's rate against the national and local CL_RATE targets (percentages); a
    "decrease" target is judged against the unit's previous survey round."""
    from clms.indicators.targets import targets_for_units
    from clms.surveys.selectors import previous_rate

    rate = estimates["estimates"][PRIMARY]["all"]["rate"]
    if rate["value"] is None:
        return []
    out = []
    for source, label in (("national", _("national target")), ("local", _("local target"))):
        target = targets_for_units([unit], year, source).get(unit.pk, {}).get("CL_RATE")  # type: ignore[arg-type]
        if target is None:
            continue
        low, high = rate["low"], rate["high"]
        if target.value is None:
            before = previous_rate(unit, estimates["round"])
            if before is None:
                verdict = _("no earlier survey of the unit to compare with")
            elif high is not None and high < before[1]:
                verdict = _("lower than the survey of %(year)s (%(rate)s) even at the top of the interval") % {
                    "year": before[0], "rate": pct(before[1])}
            else:
                verdict = _("not clearly lower than the survey of %(year)s (%(rate)s)") % {
                    "year": before[0], "rate": pct(before[1])}
            out.append(_("%(label)s: decrease (%(year)s, %(plan)s): %(verdict)s") % {
                "label": label, "year": target.year, "plan": target.plan, "verdict": verdict})
            continue
        goal = float(target.value) / 100
        if high is not None and high <= goal:
            verdict = _("below the target even at the top of the interval")
        elif low is not None and low > goal:
            verdict = _("above the target even at the bottom of the interval")
        else:
            verdict = _("the interval contains the target: the survey cannot tell whether it is met")
        out.append(_("%(label)s %(comparator)s %(goal)s (%(year)s, %(plan)s): %(verdict)s") % {
            "label": label, "comparator": target.comparator.replace("<=", "≤").replace(">=", "≥"),
            "goal": f"{vn_number(float(target.value))} %", "year": target.year, "plan": target.plan, "verdict": verdict,
        })
    return out
