"""Part II of the report, "what was done under each content area", from a snapshot's sections.

``area_parts`` turns ``data["sections"]`` (clms.reports.sections) into, per content area of the
plan ("1".."5"), the body's paragraphs and the annex's facts (label, value, format), so that the
DOCX, the PDF and the XLSX say the same numbers.  Wording: ``[sections]`` of report_form.toml.
Labels of states, services and sources are the apps' own, in Vietnamese whatever the reader's
interface language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from clms.reports import texts


@dataclass
class Fact:
    label: str
    value: int | float | None
    fmt: str = "int"  # "int" | "money" | "percent"


@dataclass
class AreaPart:
    paragraphs: list[str] = field(default_factory=list)  # "- …" lines are list items
    facts: list[Fact] = field(default_factory=list)


def _labels() -> dict[str, dict[str, str]]:
    from clms.cases.catalogue import service_types
    from clms.cases.models import State
    from clms.outreach.models import ActivityKind, ReachGroup
    from clms.plans.models import FundingSource

    with translation.override("vi"):
        return {
            "state": {k: str(v) for k, v in State.choices},
            "kind": {k: str(v) for k, v in ActivityKind.choices},
            "group": {k: str(v) for k, v in ReachGroup.choices},
            "source": {k: str(v) for k, v in FundingSource.choices},
            "service": {code: t.vi for code, t in service_types().items()},
        }


def _share(part: int, whole: int | None) -> float | None:
    return None if not whole else 100 * part / whole


def _management(s: dict[str, Any], w: dict[str, Any], f: dict[str, str]) -> AreaPart:
    out = AreaPart()
    plan = s.get("plan")
    if plan and plan.get("number"):
        date = plan.get("issued_on") or ""
        shown = f"{date[8:10]}/{date[5:7]}/{date[:4]}" if len(date) == 10 else ""
        out.paragraphs.append(str(w["plan"]).format(number=plan["number"], date=shown, issuer=plan["issuer"]))
    statuses = ("done", "recurring", "in_progress", "not_started")
    totals = {k: sum(a.get(k, 0) for a in s["agencies"]) for k in statuses}
    total = sum(totals.values())
    if not total:
        out.paragraphs.append(str(w["no_tasks"]))
    else:
        out.paragraphs.append(str(w["tasks"]).format(total=texts.vn_int(total), **{k: texts.vn_int(v) for k, v in totals.items()}))
        for agency in s["agencies"]:
            counts = {k: agency.get(k, 0) for k in statuses}
            out.paragraphs.append(str(w["task_item"]).format(
                name=agency["name"], total=texts.vn_int(sum(counts.values())), **{k: texts.vn_int(v) for k, v in counts.items()}
            ))
    out.facts += [Fact(f["tasks_total"], total)] + [Fact(f[f"tasks_{k}"], totals[k]) for k in statuses]
    return out


def _outreach(s: dict[str, Any], w: dict[str, Any], f: dict[str, str], labels: dict[str, dict[str, str]]) -> AreaPart:
    out = AreaPart()
    kinds = s.get("activities", {})
    total = sum(kinds.values())
    if total:
        listed = ", ".join(
            str(w["kind_item"]).format(label=labels["kind"].get(k, k).lower(), n=texts.vn_int(n)) for k, n in kinds.items() if n
        )
        out.paragraphs.append(str(w["activities"]).format(total=texts.vn_int(total), kinds=listed))
    else:
        out.paragraphs.append(str(w["no_activities"]))
    out.facts.append(Fact(f["activities"], total))
    rows = [r for r in s.get("reach", []) if r["count"] or r.get("denominator")]
    if rows:
        out.paragraphs.append(str(w["reach_intro"]))
    for row in rows:
        label = labels["group"].get(row["group"], row["group"])
        share = _share(row["count"], row.get("denominator"))
        shown = "" if share is None else str(w["reach_share"]).format(percent=texts.vn_percent(share), denominator=texts.vn_int(row["denominator"]))
        out.paragraphs.append(str(w["reach_item"]).format(label=label, count=texts.vn_int(row["count"]), share=shown))
        out.facts.append(Fact(str(f["reach"]).format(label=label), row["count"]))
    if any(r.get("method") != "unique" for r in rows):
        out.paragraphs.append(str(w["reach_attendance"]))
    return out


def _support(s: dict[str, Any], pilots: dict[str, Any], w: dict[str, Any], f: dict[str, str], labels: dict[str, dict[str, str]]) -> AreaPart:
    out = AreaPart()
    cases = s.get("cases", {})
    total = sum(cases.values())
    order = list(labels["state"])
    if total:
        states = ", ".join(
            str(w["state_item"]).format(label=labels["state"].get(k, k).lower(), n=texts.vn_int(cases[k]))
            for k in sorted(cases, key=lambda k: order.index(k) if k in order else 99)
            if cases[k]
        )
        out.paragraphs.append(str(w["cases"]).format(total=texts.vn_int(total), emergencies=texts.vn_int(s.get("emergencies", 0)), states=states))
    else:
        out.paragraphs.append(str(w["no_cases"]))
    out.facts += [Fact(f["cases"], total), Fact(f["emergencies"], s.get("emergencies", 0))]
    for k in sorted(cases, key=lambda k: order.index(k) if k in order else 99):
        out.facts.append(Fact(str(f["state"]).format(label=labels["state"].get(k, k)), cases[k]))
    referrals = s.get("referrals", {})
    all_referrals = sum(sum(by.values()) for by in referrals.values())
    delivered = sum(by.get("delivered", 0) for by in referrals.values())
    if all_referrals:
        out.paragraphs.append(str(w["referrals"]).format(total=texts.vn_int(all_referrals)))
        for service, by in sorted(referrals.items(), key=lambda item: -sum(item[1].values())):
            out.paragraphs.append(
                str(w["referral_item"]).format(
                    label=labels["service"].get(service, service),
                    total=texts.vn_int(sum(by.values())),
                    delivered=texts.vn_int(by.get("delivered", 0)),
                    open=texts.vn_int(by.get("sent", 0) + by.get("accepted", 0)),
                    refused=texts.vn_int(by.get("refused", 0)),
                )
            )
    else:
        out.paragraphs.append(str(w["no_referrals"]))
    out.facts += [Fact(f["referrals"], all_referrals), Fact(f["referrals_delivered"], delivered)]
    types = pilots.get("types", [])
    count = sum(t["count"] for t in types)
    beneficiaries = sum(t["beneficiaries"] for t in types)
    out.paragraphs.append(str(w["pilots_title"]) + ":")
    if count:
        out.paragraphs.append(str(w["pilots"]).format(total=texts.vn_int(count), beneficiaries=texts.vn_int(beneficiaries)))
        for t in types:
            out.paragraphs.append(str(w["pilot_item"]).format(name=t["name"], count=texts.vn_int(t["count"]), beneficiaries=texts.vn_int(t["beneficiaries"])))
    else:
        out.paragraphs.append(str(w["no_pilots"]))
    out.facts += [Fact(f["pilots"], count), Fact(f["pilot_beneficiaries"], beneficiaries)]
    return out


def _inspections(s: dict[str, Any], w: dict[str, Any], f: dict[str, str]) -> AreaPart:
    out = AreaPart()
    keys = ("employers", "craft_villages", "active_commitments", "inspections", "employers_inspected",
            "open_violations", "children_found", "violations", "fines_imposed_count", "fines_imposed")
    shown = {k: texts.vn_int(s.get(k, 0)) for k in keys}
    out.paragraphs.append(str(w["employers"]).format(**shown))
    out.paragraphs.append(str(w["inspections" if s.get("inspections") else "no_inspections"]).format(**shown))
    for a in s.get("articles", []):
        out.paragraphs.append(
            str(w["article_item"]).format(
                article=a["article"] or "?", decree=a["decree"], count=texts.vn_int(a["count"]),
                fine_min=texts.vn_int(a["fine_min"]), fine_max=texts.vn_int(a["fine_max"]),
            )
        )
    if s.get("fines_imposed_count"):
        out.paragraphs.append(str(w["fines"]).format(count=texts.vn_int(s["fines_imposed_count"]), amount=texts.vn_int(s["fines_imposed"])))
    else:
        out.paragraphs.append(str(w["no_fines"]))
    for key in ("employers", "active_commitments", "inspections", "employers_inspected", "children_found", "violations"):
        out.facts.append(Fact(f[key], s.get(key, 0)))
    for a in s.get("articles", []):
        out.facts.append(Fact(str(f["article"]).format(article=a["article"] or "?", decree=a["decree"]), a["count"]))
    for key in ("open_violations", "fines_imposed_count"):
        out.facts.append(Fact(f[key], s.get(key, 0)))
    out.facts.append(Fact(f["fines_imposed"], s.get("fines_imposed", 0), "money"))
    return out


def _resources(s: dict[str, Any], year: int, w: dict[str, Any], f: dict[str, str], labels: dict[str, dict[str, str]]) -> AreaPart:
    out = AreaPart()
    planned, spent = s.get("planned", 0), s.get("spent", 0)
    if planned or spent:
        share = _share(spent, planned)
        out.paragraphs.append(
            str(w["budget"]).format(
                year=year, planned=texts.vn_int(planned), spent=texts.vn_int(spent),
                share="" if share is None else str(w["budget_share"]).format(percent=texts.vn_percent(share)),
            )
        )
        for source, amounts in s.get("sources", {}).items():
            out.paragraphs.append(
                str(w["source_item"]).format(
                    label=labels["source"].get(source, source), planned=texts.vn_int(amounts["planned"]), spent=texts.vn_int(amounts["spent"])
                )
            )
    else:
        out.paragraphs.append(str(w["no_budget"]).format(year=year))
    out.facts += [Fact(f["planned"], planned, "money"), Fact(f["spent"], spent, "money")]
    for source, amounts in s.get("sources", {}).items():
        label = labels["source"].get(source, source)
        out.facts += [
            Fact(str(f["source_planned"]).format(label=label), amounts["planned"], "money"),
            Fact(str(f["source_spent"]).format(label=label), amounts["spent"], "money"),
        ]
    return out


def area_parts(data: dict[str, Any], year: int) -> dict[str, AreaPart]:
    """Content area ("1".."5") → its paragraphs and facts; empty when the snapshot predates
    sections (a report submitted before they existed keeps its own content)."""
    from clms.reports.sections import has_sections

    if not has_sections(data):
        return {}
    s = data["sections"]
    if s.get("parts") is not None and not s.get("complete"):
        return {}  # an aggregate of reports that all predate sections
    w = texts.form()["sections"]
    f = {k: str(v) for k, v in w["facts"].items()}
    labels = _labels()
    parts = {
        "1": _management(s["management"], w, f),
        "2": _outreach(s["outreach"], w, f, labels),
        "3": _support(s["support"], s["pilots"], w, f, labels),
        "4": _inspections(s["inspections"], w, f),
        "5": _resources(s["resources"], year, w, f, labels),
    }
    if s.get("parts") and s.get("complete", 0) < s["parts"]:
        for part in parts.values():
            part.paragraphs.append(str(w["partial"]).format(complete=s["complete"], parts=s["parts"]))
    return parts
