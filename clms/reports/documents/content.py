"""What a report says, independent of the file format: built from a snapshot and the typed parts.

Only figures and official names go in (units, the issuing body, the signer); nothing here reads
a child, a reporter or an officer's contact details, so no file can carry personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from clms.places.models import AdminUnit
from clms.reports import hooks, texts
from clms.reports.documents.charts import Chart, report_charts
from clms.reports.documents.parts import AreaPart, Fact, area_parts
from clms.reports.models import DocumentFields

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
OBJECTIVE_ORDER = ("II.1.a", "II.1.b", "II.1.c", "II.2")


@dataclass
class Block:
    """One element of the body: a heading, a paragraph, a dash item or a chart."""

    kind: str  # "h1" | "h2" | "para" | "item" | "chart"
    text: str = ""
    chart: Chart | None = None


@dataclass
class Cell:
    value: Any
    fmt: str = ""  # "int" | "percent" | "" (text)


@dataclass
class Sheet:
    name: str
    heading: str  # the sheet's own title under the annex title
    columns: list[str]  # first header row; indicator names span their sub-columns
    spans: list[int]  # how many sub-columns each entry of ``columns`` covers
    subcolumns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    # The area's figures from the records (part II of the body), as a two-column table.
    facts: list[Fact] = field(default_factory=list)


@dataclass
class ReportDocument:
    parent_body: str
    issuer_body: str
    number_line: str
    place_date: str
    title: str
    subject: str
    recipients_to: list[str]
    body: list[Block]
    recipients: list[str]
    authority: str
    deputy: str
    position: str
    signer_name: str
    annex_name: str
    annex_title: str
    annex_reference: str
    annex_note: str
    sheets: list[Sheet] = field(default_factory=list)
    filename: str = "bao-cao"
    # Document properties: the issuing body as author, the time the file was made.
    author: str = ""
    created: dt.datetime = field(default_factory=timezone.now)
    # An unsubmitted report carries "DỰ THẢO" on every page.
    draft: bool = False
    draft_mark: str = ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def recipient_lines(text: str) -> list[str]:
    """The recipients list as Decree 30 writes it: "- …;" and a final "- Lưu: VT, …."."""
    items = [line.lstrip("-–• ").rstrip(";.,") for line in _lines(text)]
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def addressed_lines(text: str) -> list[str]:
    items = [line.lstrip("-–• ").rstrip(";.,") for line in _lines(text)]
    if len(items) <= 1:
        return items
    return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]


def status_text(value: dict[str, Any], year: int) -> str:
    status = texts.form()["status"]
    target = value.get("target")
    if not target:
        return str(status["no_target"]).format(year=year)
    if target.get("comparator") == "decrease":
        if value.get("status") == "met":
            return str(status["decrease_met"])
        if value.get("status") == "off_track":
            return str(status["decrease_off"])
        return str(status["no_data"]).format(target=texts.describe_target(target))
    return str(status[value.get("status") or "no_data"]).format(target=texts.describe_target(target))


def indicator_sentence(code: str, value: dict[str, Any], definition: dict[str, Any], year: int) -> str:
    """"Tỷ lệ … là 0,42% (12/2.857 trẻ em), đạt chỉ tiêu ≤ 0,5% của Kế hoạch."."""
    text = texts.indicator_text(code)
    sentences = texts.form()["sentences"]
    if value.get("value") is not None:
        template = sentences["value"]
    elif value.get("numerator") is None:
        template = sentences["no_figures"]
    elif value.get("denominator") is None:
        template = sentences["no_denominator"]
    else:
        template = sentences["none_in_year"]
    sentence = str(template).format(
        subject=text.get("subject") or definition.get("label") or code,
        value=texts.vn_percent(value.get("value")),
        numerator=texts.vn_int(value.get("numerator")),
        denominator=texts.vn_int(value.get("denominator")),
        unit=text.get("unit", ""),
        status=status_text(value, year),
    )
    if "estimate" in (value.get("flags") or []):
        sentence += str(sentences["estimate"])
    return sentence


def _objective_blocks(data: dict[str, Any], year: int) -> list[Block]:
    form = texts.form()
    by_objective: dict[str, list[str]] = {}
    for code in data["codes"]:
        objective = data["indicators"][code].get("objective", "")
        key = objective if objective in form["objectives"] else ""
        by_objective.setdefault(key, []).append(code)
    blocks: list[Block] = []
    keys = [k for k in OBJECTIVE_ORDER if k in by_objective] + [k for k in by_objective if k not in OBJECTIVE_ORDER]
    for n, key in enumerate(keys, start=1):
        title = form["objectives"][key] if key else form["headings"]["other_indicators"]
        blocks.append(Block("h2", f"{n}. {title}"))
        for code in by_objective[key]:
            sentence = indicator_sentence(code, data["totals"][code], data["indicators"][code], year)
            blocks.append(Block("item", f"- {sentence}"))
    return blocks


def _taken_at(data: dict[str, Any]) -> str:
    taken = dt.datetime.fromisoformat(data["taken_at"])
    return timezone.localtime(taken).strftime("%H:%M ngày %d/%m/%Y")


def build(
    *,
    fields: DocumentFields,
    unit: AdminUnit,
    year: int,
    data: dict[str, Any],
    receiver: AdminUnit | None = None,
    plan: Any = None,
    aggregate_of: tuple[int, int, list[str]] | None = None,
    draft: bool = False,
) -> ReportDocument:
    """The report of ``unit`` for ``year`` from frozen ``data`` and the typed ``fields``.

    ``aggregate_of`` = (accepted, expected, names of units without an accepted report) makes it
    the receiving level's aggregate report.
    """
    form = texts.form()
    doc_text, headings = form["document"], form["headings"]
    on = fields.issued_on or timezone.localdate(dt.datetime.fromisoformat(data["taken_at"]))
    block = texts.issuer_block(unit.level, dt.date(year, 11, 15))
    parent = unit.parent
    names = {
        "unit": texts.lower_first(unit.name),
        "unit_upper": unit.name.upper(),
        "parent": texts.lower_first(parent.name) if parent else "",
        "parent_upper": parent.name.upper() if parent else "",
    }
    issuer = str(block["issuer"]).format(**names)
    common = {"year": year, "next_year": year + 1, "issuer": issuer}

    body: list[Block] = []
    if aggregate_of is not None:
        accepted, expected, _missing = aggregate_of
        sender_kind = form["senders"].get("district" if unit.level == "province" and year <= 2024 else "commune", "")
        body.append(Block("para", str(doc_text["aggregate_intro"]).format(accepted=accepted, expected=expected, sender_kind=sender_kind, **common)))
    elif plan is not None and plan.number:
        body.append(
            Block(
                "para",
                str(doc_text["intro_with_plan"]).format(
                    plan_number=plan.number,
                    plan_date=plan.issued_on.strftime("%d/%m/%Y") if plan.issued_on else "",
                    plan_issuer=plan.issuer,
                    **common,
                ),
            )
        )
    else:
        body.append(Block("para", str(doc_text["intro"]).format(**common)))

    sections: list[tuple[str, list[Block]]] = []
    results = _objective_blocks(data, year)
    results.extend(Block("para", line) for line in hooks.result_lines(data, year))
    results.append(Block("para", str(doc_text["source_note"]).format(taken_at=_taken_at(data))))
    # A chart compares units: a single commune's report has one bar per indicator, which the
    # sentences above already say, so it gets none.
    charts = report_charts(data) if aggregate_of is not None and len(data.get("rows", [])) > 1 else []
    for n, chart in enumerate(charts, start=1):
        chart.caption = str(doc_text["chart_caption"]).format(n=n, title=chart.title)
        results.append(Block("chart", chart.caption, chart=chart))
    sections.append((headings["results"], results))
    parts = area_parts(data, year)
    if parts:
        sections.append((str(form["sections"]["heading"]), _part_blocks(parts)))
    if aggregate_of is not None:
        _accepted, _expected, missing = aggregate_of
        text = headings["units_missing"].format(names=", ".join(missing)) if missing else headings["units_all"]
        sections.append((headings["units"], [Block("para", text)]))
    empty = str(doc_text["empty_text"])
    for heading, typed in (
        (headings["difficulties"], fields.difficulties),
        (headings["proposals"], fields.proposals),
        (headings["next_tasks"], fields.next_tasks),
    ):
        sections.append((str(heading).format(**common), [Block("para", line) for line in _lines(typed)] or [Block("para", empty)]))
    for n, (heading, blocks) in enumerate(sections):
        body.append(Block("h1", f"{ROMAN[n]}. {heading.upper()}"))
        body.extend(blocks)
    body.append(Block("para", str(doc_text["closing"]).format(**common)))

    number_text = f"{fields.number:02d}" if fields.number else doc_text["empty_number"].strip() or "…"
    annex = form["annex"]
    return ReportDocument(
        parent_body=str(block["parent_body"]).format(**names) if parent else "",
        issuer_body=str(block["issuer_body"]).format(**names),
        number_line=texts.number_line(fields.number, fields.symbol or doc_text["symbol"]),
        place_date=texts.vn_date_line(fields.place or texts.place_name(unit.name), on),
        title=str(doc_text["title"]),
        subject=fields.subject or str(doc_text["subject"]).format(year=year),
        recipients_to=addressed_lines(fields.recipients_to),
        body=body,
        recipients=recipient_lines(fields.recipients),
        authority=fields.signer_authority,
        deputy=fields.signer_deputy,
        position=fields.signer_position,
        signer_name=fields.signer_name,
        annex_name=str(annex["name"]),
        annex_title=str(annex["title"]).format(year=year),
        annex_reference=str(annex["reference"]).format(
            number=number_text, symbol=fields.symbol or doc_text["symbol"], date=on.strftime("%d/%m/%Y"), issuer=issuer
        ),
        annex_note=str(annex["sources"]).format(taken_at=_taken_at(data)),
        sheets=annex_sheets(data, with_total=aggregate_of is not None, parts=parts),
        filename=f"bao-cao-{year}-{unit.code or unit.pk}",
        author=issuer,
        created=timezone.now(),
        draft=draft,
        draft_mark=str(doc_text["draft_mark"]),
    )


def _value_cells(value: dict[str, Any] | None, *, full: bool) -> list[Cell]:
    value = value or {}
    v = value.get("value")
    cells = [Cell(value.get("numerator"), "int"), Cell(value.get("denominator"), "int"), Cell(None if v is None else v / 100, "percent")]
    if full:
        status = texts.form()["status"]["short"]
        cells += [Cell(texts.describe_target(value.get("target"))), Cell(status.get(value.get("status") or "no_data", "") if value.get("target") else "")]
    return cells


def _part_blocks(parts: dict[str, AreaPart]) -> list[Block]:
    titles = texts.form()["content_areas"]
    blocks: list[Block] = []
    for n, (area, part) in enumerate(sorted(parts.items()), start=1):
        blocks.append(Block("h2", f"{n}. {titles[area]}"))
        blocks += [Block("item" if line.startswith("- ") else "para", line) for line in part.paragraphs]
    return blocks


def annex_sheets(data: dict[str, Any], *, with_total: bool, parts: dict[str, AreaPart] | None = None) -> list[Sheet]:
    """One sheet per content area (units as rows), then one per breakdown (groups as rows)."""
    annex = texts.form()["annex"]
    form = texts.form()
    sheets: list[Sheet] = []
    full_sub = [annex["numerator"], annex["denominator"], annex["value"], annex["target"], annex["status"]]
    for area, title in form["content_areas"].items():
        codes = [c for c in data["codes"] if data["indicators"][c].get("content_area") == area]
        columns = ["STT", annex["unit_column"]] + [data["indicators"][c]["label"] for c in codes]
        rows: list[list[Cell]] = []
        for n, row in enumerate(data["rows"], start=1):
            cells = data["cells"].get(str(row["id"]), {})
            line = [Cell(n, "int"), Cell(row["name"])]
            for code in codes:
                line += _value_cells(cells.get(code), full=True)
            rows.append(line)
        if with_total:
            line = [Cell(""), Cell(annex["total"])]
            for code in codes:
                line += _value_cells(data["totals"].get(code), full=True)
            rows.append(line)
        sheets.append(
            Sheet(
                name=annex["sheets"][area],
                heading=f"{area}. {title}",
                columns=columns,
                spans=[1, 1] + [5] * len(codes),
                subcolumns=full_sub,
                rows=rows if codes else [],
                note="" if codes or area in (parts or {}) else str(form["document"]["empty_text"]),
                facts=(parts or {}).get(area, AreaPart()).facts,
            )
        )
    for by, groups in data.get("groups", {}).items():
        codes = [c for c in data["codes"] if groups.get(c)]
        labels = form["groups"].get(by, {})
        keys = sorted({k for c in codes for k in groups[c]}, key=lambda k: list(labels).index(k) if k in labels else 99)
        rows = []
        for n, key in enumerate(keys, start=1):
            line = [Cell(n, "int"), Cell(labels.get(key, key))]
            for code in codes:
                line += _value_cells(groups[code].get(key), full=False)
            rows.append(line)
        sheets.append(
            Sheet(
                name=annex["sheets"][by],
                heading=annex["sheets"][by],
                columns=["STT", annex["group_column"]] + [data["indicators"][c]["label"] for c in codes],
                spans=[1, 1] + [3] * len(codes),
                subcolumns=full_sub[:3],
                rows=rows,
                note="" if rows else str(form["document"]["empty_text"]),
            )
        )
    return sheets
