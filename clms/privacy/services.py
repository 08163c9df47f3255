"""A person's record as a whole: everything CLMS holds about one child, and its anonymisation.

The record is found by walking the models: every row with a foreign key to the child, every
row with a foreign key to one of those (a case's steps, events, assessment, plan, referrals),
the report a case came from and who reported it.  A model added later is picked up without
changing this file, so the export stays complete and the anonymisation cannot skip it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from clms.accounts.models import AuditAction, AuditEvent
from clms.accounts.policy import Perm, require
from clms.cases.models import OPEN_STATES
from clms.core.history import history_record_pks, tracked
from clms.people.models import Child, Guardian, Household, WorkObservation
from clms.rules.text import fold

if TYPE_CHECKING:
    from clms.accounts.models import User

# Stored in place of a name: data, not interface text (it must read the same in any language).
ANONYMISED = "Đã ẩn danh"
# Models never walked into: the audit trail is exported separately and never changed;
# places and users are not the child's data.
_SKIP_APPS = {"accounts", "places", "auth", "contenttypes", "sessions", "admin", "otp_totp"}


def _related_rows(model: type[models.Model], pks: list[Any]) -> Iterator[tuple[type[models.Model], models.QuerySet[Any]]]:
    """Querysets of every model with a foreign key (or one-to-one) to ``model`` rows ``pks``."""
    if not pks:
        return
    for other in apps.get_models():
        if other._meta.app_label in _SKIP_APPS or other is model:
            continue
        for f in other._meta.concrete_fields:
            if isinstance(f, models.ForeignKey) and f.related_model is model:
                yield other, other._default_manager.filter(**{f"{f.name}__in": pks})


def record_graph(child: Child) -> dict[type[models.Model], list[models.Model]]:
    """Every stored row about the child, by model (two levels below the child, plus the
    household and the reports its cases came from)."""
    graph: dict[type[models.Model], dict[Any, models.Model]] = {Child: {child.pk: child}}

    def add(model: type[models.Model], rows: Any) -> list[Any]:
        bucket = graph.setdefault(model, {})
        new = []
        for row in rows:
            if row.pk not in bucket:
                bucket[row.pk] = row
                new.append(row.pk)
        return new

    first_level: list[tuple[type[models.Model], list[Any]]] = []
    for model, qs in _related_rows(Child, [child.pk]):
        first_level.append((model, add(model, qs)))
    for model, pks in first_level:
        for sub_model, qs in _related_rows(model, pks):
            add(sub_model, qs)
    if child.household_id:
        add(Household, Household.objects.filter(pk=child.household_id))
    case_model = apps.get_model("cases", "Case")
    report_ids = [c.report_id for c in graph.get(case_model, {}).values()]  # type: ignore[attr-defined]
    if report_ids:
        report_model = apps.get_model("cases", "Report")
        add(report_model, report_model._default_manager.filter(pk__in=report_ids))
        for sub_model, qs in _related_rows(report_model, report_ids):
            if sub_model is not case_model:
                add(sub_model, qs)
    return {model: list(rows.values()) for model, rows in graph.items() if rows}


def audit_of_child(child: Child) -> list[AuditEvent]:
    """Who read, changed or exported this child's record (single reads and the list pages
    that showed it)."""
    key = str(child.pk)
    direct = AuditEvent.objects.filter(object_type="people.child", object_id=key)
    listed = AuditEvent.objects.filter(object_type="people.child", object_ids__icontains=f'"{key}"')
    events = {e.pk: e for e in direct.select_related("user")}
    for event in listed.select_related("user"):
        if key in event.object_ids:  # icontains also matches "12" inside "112"
            events[event.pk] = event
    return sorted(events.values(), key=lambda e: e.at)


def _row(obj: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        value = getattr(obj, f.attname)
        data[f.name] = value
        if f.choices and value not in (None, ""):
            data[f"{f.name}_label"] = str(dict(f.flatchoices).get(value, value))
    return data


def child_export(*, user: User, child: Child) -> dict[str, Any]:
    """The data-subject export: every field of every row about the child, and the audit.
    Only those who keep the register of the child's commune answer such a request."""
    require(user, Perm.REGISTER_MANAGE, child.commune)
    graph = record_graph(child)
    records = {
        model._meta.label: {
            "name": str(model._meta.verbose_name_plural),
            "rows": [_row(obj) for obj in sorted(rows, key=lambda o: o.pk)],
        }
        for model, rows in sorted(graph.items(), key=lambda item: item[0]._meta.label)
    }
    audit = [
        {
            "at": e.at, "user": e.user.username if e.user else None,
            "user_name": str(e.user) if e.user else None, "action": e.action,
            "action_label": e.get_action_display(), "path": e.path, "ip": e.ip,
        }
        for e in audit_of_child(child)
    ]
    return {
        "exported_at": timezone.now(),
        "legal_basis": "Nghị định 13/2023/NĐ-CP, Điều 14 và Điều 9 (quyền được biết, quyền truy cập dữ liệu)",
        "child_id": child.pk,
        "records": records,
        "audit": audit,
    }


def export_json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


# --- retention ------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_candidates(*, today: dt.date, years: int) -> models.QuerySet[Child]:
    """Children who turned 18 at least ``years`` years ago, have no open case, and still carry
    their name."""
    born_by = _years_before(today, 18 + years)
    return (
        Child.objects.filter(dob__lte=born_by)
        .exclude(cases__state__in=OPEN_STATES)
        .exclude(full_name__startswith=ANONYMISED)
        .order_by("pk")
    )


# Free text and identifying fields of the rows found by record_graph, beyond the child's own.
# Codes, dates, statuses, sex, age, ethnicity and units stay: the yearly figures are made of them.
_PEOPLE_FIELDS: dict[type[models.Model], dict[str, Any]] = {
    Guardian: {"full_name": ANONYMISED, "phone": ""},
    WorkObservation: {"employer_name": "", "job_description": "", "note": ""},
}


def _blank_free_text(model: type[models.Model]) -> dict[str, Any]:
    """Every free-text field of a model: TextFields, and CharFields without choices that hold
    names, phones, addresses or descriptions."""
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if isinstance(f, models.TextField):
            values[f.name] = ""
        elif isinstance(f, models.CharField) and not f.choices and any(
            word in f.name for word in ("name", "phone", "address", "description", "given_by", "relationship")
        ):
            values[f.name] = ANONYMISED if not f.blank else ""
    return values


def _anonymise_rows(model: type[models.Model], pks: list[Any], values: dict[str, Any], *, bump: bool = False) -> None:
    """One bulk update, and the same on the change history: the earlier versions of a record
    hold the very names being removed, so they are blanked too, then the anonymisation itself
    is recorded as a change (update() bypasses django-simple-history)."""
    if not pks:
        return
    # The register's records are edited with optimistic locking: an open edit form goes stale.
    extra: dict[str, Any] = {"version": models.F("version") + 1} if bump else {}
    model._default_manager.filter(pk__in=pks).update(**values, **extra)
    if tracked(model):
        model.history.filter(id__in=pks).update(**values)  # type: ignore[attr-defined]
        history_record_pks(model, pks, reason="retention")


@transaction.atomic
def child_anonymise(*, child: Child, reason: str) -> None:
    """Remove what identifies the child, keeping what the statistics count.

    Kept: sex, date of birth, ethnicity, commune and village, statuses, classifications,
    cases' states and dates — so every closed year's figures stay as they were.  Removed:
    names, the personal identification number, phones, addresses and every free text
    (notes, what was seen, assessments, who reported).  Runs as one bulk update per model,
    not through the editing services: nothing here is a user's edit to validate.
    """
    graph = record_graph(child)
    for model, rows in graph.items():
        if model in (Child, Household):
            continue
        values = _PEOPLE_FIELDS.get(model) or _blank_free_text(model)
        if values:
            _anonymise_rows(model, [r.pk for r in rows], values)
    name = f"{ANONYMISED} #{child.pk}"
    _anonymise_rows(Child, [child.pk], {"full_name": name, "name_folded": fold(name), "personal_id": "",
                                        "school_name": "", "disability": "", "note": ""}, bump=True)
    if child.household_id and not Child.objects.filter(household_id=child.household_id).exclude(
        full_name__startswith=ANONYMISED
    ).exists():
        head = f"{ANONYMISED} #{child.household_id}"
        _anonymise_rows(Household, [child.household_id],
                        {"head_name": head, "head_name_folded": fold(head), "address": "", "phone": ""}, bump=True)
    AuditEvent.objects.create(action=AuditAction.UPDATE, object_type="people.child", object_id=str(child.pk),
                              detail={"anonymised": reason})
