"""The phone's offline queue on the server: each queued item is checked by the online form and
written by the online service, once per idempotency key.

The page ``surveys:field`` keeps three forms working without a connection; what the phone
sends back later is one JSON item per form, ``{"key", "kind", "data"}``, whose ``data`` holds
the same field names as the online forms.  So the queue cannot validate or write differently
from the pages a person uses at a desk: it *is* those forms and services.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction
from clms.accounts.policy import Perm, roles
from clms.cases.forms import ReportForm
from clms.cases.services import NewChild, PossibleDuplicates, report_file
from clms.core.templatetags.vn_format import vn_number
from clms.people.forms import ObservationForm, VisitForm
from clms.people.models import Child
from clms.people.selectors import children_for_user, minors_q
from clms.people.services import observation_record, visit_record
from clms.places.models import AdminUnit, Level
from clms.places.selectors import communes_for_user, villages_for_user
from clms.surveys.models import FieldKind, FieldSubmission

if TYPE_CHECKING:
    from clms.accounts.models import User

# Who may use the offline forms: those who keep the register (a visit and an observation
# write to it; the report form alone is open to more roles online, but not from a phone queue).
FIELD_ROLES = roles(Perm.REGISTER_WRITE)
MAX_ITEMS = 50
# What the phone keeps for the visit and observation pickers: no more than it needs.
CHILD_FIELDS = ("pk", "full_name", "dob__year", "village__name")


class Rejected(Exception):
    def __init__(self, errors: dict[str, list[str]], extra: dict[str, Any] | None = None) -> None:
        super().__init__(errors)
        self.errors = errors
        self.extra = extra or {}


@dataclass
class FieldForms:
    report: ReportForm
    visit: VisitForm
    observation: ObservationForm


def report_form(user: User, data: Any = None, **kwargs: Any) -> ReportForm:
    communes = communes_for_user(user).filter(valid_to__isnull=True)
    villages = villages_for_user(user).order_by("parent__name", "name")
    if user.area is not None and user.area.level == Level.VILLAGE:
        villages = villages.filter(pk=user.area.pk)
    return ReportForm(data, user=user, children=children_for_user(user), communes=communes, villages=villages, **kwargs)


def field_forms(user: User) -> FieldForms:
    # Distinct ids: the three forms share one page and some field names (note, village).
    return FieldForms(report=report_form(user, auto_id="report_%s"), visit=VisitForm(auto_id="visit_%s"),
                      observation=ObservationForm(auto_id="obs_%s"))


def field_children(user: User) -> list[dict[str, Any]]:
    """The children the visit and observation forms may pick offline: the user's own area,
    under 18 on the register, with name, birth year and village only."""
    rows = (
        children_for_user(user).filter(minors_q()).order_by("village__name", "name_folded").values_list(*CHILD_FIELDS)[:2000]
    )
    return [{"id": pk, "name": name, "born": year, "village": village or ""} for pk, name, year, village in rows]


def _form_errors(form: forms.Form) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else ""
        out[name] = [f"{label}: {e}" if label else str(e) for e in errors]
    return out


def _service_errors(exc: ValidationError, form: forms.Form) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        out: dict[str, list[str]] = {}
        for name, errors in exc.message_dict.items():
            field = form.fields.get(name)
            key = name if field is not None else "__all__"
            label = str(field.label) if field is not None and field.label else ""
            out.setdefault(key, []).extend(f"{label}: {e}" if label else str(e) for e in errors)
        return out
    return {"__all__": list(exc.messages)}


def _child(user: User, data: dict[str, Any]) -> Child:
    raw = str(data.get("child", "")).strip()
    child = children_for_user(user).filter(pk=int(raw)).select_related("commune", "village").first() if raw.isdigit() else None
    if child is None:
        raise Rejected({"child": [_("Child: not found among the children you may record for.")]})
    return child


def _run(form: forms.Form, write: Any) -> Any:
    if not form.is_valid():
        raise Rejected(_form_errors(form))
    try:
        return write(form.cleaned_data)
    except PossibleDuplicates as exc:
        candidates = [
            {"id": c.child.pk, "name": c.child.full_name, "born": c.child.dob.year,
             "village": c.child.village.name if c.child.village_id else ""}
            for c in exc.candidates
        ]
        raise Rejected({"confirm_new": list(exc.messages)}, {"duplicates": candidates}) from None
    except ValidationError as exc:
        raise Rejected(_service_errors(exc, form)) from None
    except PermissionDenied:
        raise Rejected({"__all__": [_("You may not record this for that place.")]}) from None


def _report(user: User, data: dict[str, Any]) -> tuple[dict[str, Any], AdminUnit | None]:
    if isinstance(data.get("children"), str):
        data = {**data, "children": [data["children"]]}
    form = report_form(user, data)

    def write(d: dict[str, Any]) -> Any:
        new = []
        if d["new_name"]:
            new.append(NewChild(full_name=d["new_name"], sex=d["new_sex"], dob=d["new_dob"], village=d["village"],
                                dob_estimated=d["new_dob_estimated"]))
        return report_file(
            user=user, source=d["source"], received_at=d["received_at"], what_seen=d["what_seen"],
            emergency=d["emergency"], children=list(d["children"]), new_children=new, commune=d["commune"],
            reporter_name=d["reporter_name"], reporter_phone=d["reporter_phone"],
            reporter_relationship=d["reporter_relationship"], confirm_new=d["confirm_new"],
        )

    report = _run(form, write)
    cases = list(report.cases.order_by("pk").values_list("pk", "child_id"))
    return ({"report": report.pk, "cases": [c for c, _child in cases], "children": [ch for _c, ch in cases]},
            report.commune)


def _visit(user: User, data: dict[str, Any]) -> tuple[dict[str, Any], AdminUnit | None]:
    child = _child(user, data)
    visit = _run(VisitForm(data), lambda d: visit_record(user=user, child=child, **d))
    audit_log(user=user, action=AuditAction.CREATE, object_type="people.visit", object_id=visit.pk,
              detail={"child": child.pk, "via": "offline"})
    return {"visit": visit.pk, "child": child.pk}, child.commune


def _observation(user: User, data: dict[str, Any]) -> tuple[dict[str, Any], AdminUnit | None]:
    child = _child(user, data)
    form = ObservationForm(data)

    def write(d: dict[str, Any]) -> Any:
        return observation_record(user=user, child=child, observed_on=d["observed_on"], **form.service_fields())

    observation = _run(form, write)
    audit_log(user=user, action=AuditAction.CREATE, object_type="people.workobservation", object_id=observation.pk,
              detail={"child": child.pk, "via": "offline"})
    current = observation.classifications.filter(is_current=True, ruleset="vn-law").first()
    return ({"observation": observation.pk, "child": child.pk, "category": current.category if current else ""},
            child.commune)


HANDLERS = {FieldKind.REPORT: _report, FieldKind.VISIT: _visit, FieldKind.OBSERVATION: _observation}

MESSAGES = {
    FieldKind.REPORT: lambda r: _("Report no. %(n)s recorded.") % {"n": r["report"]},
    FieldKind.VISIT: lambda r: _("Visit recorded."),
    FieldKind.OBSERVATION: lambda r: _("Work situation recorded and classified."),
}


def _rejected(key: str, errors: dict[str, list[str]], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    first = next((m for ms in errors.values() for m in ms), _("The item was not accepted."))
    return {"key": key, "status": "rejected", "message": first, "errors": errors, **(extra or {})}


def field_submit(*, user: User, key: Any, kind: Any, data: Any) -> dict[str, Any]:
    """Write one queued item, or refuse it with the reasons; a key already accepted gets the
    first answer again (and nothing is written twice)."""
    raw_key = str(key or "")
    try:
        parsed = uuid.UUID(raw_key)
    except ValueError:
        return _rejected(raw_key, {"__all__": [_("The item has no valid key; fill the form in again.")]})
    first = FieldSubmission.objects.filter(key=parsed).first()
    if first is not None:
        if first.user_id != user.pk:
            return _rejected(raw_key, {"__all__": [_("This key belongs to another user's item.")]})
        return {**first.result, "repeat": True}
    if kind not in HANDLERS or not isinstance(data, dict):
        return _rejected(raw_key, {"__all__": [_("Unknown kind of form.")]})
    field_kind = FieldKind(kind)
    try:
        with transaction.atomic():
            record, commune = HANDLERS[field_kind](user, data)
            result = {"key": raw_key, "status": "accepted", "kind": kind, "record": record,
                      "message": MESSAGES[field_kind](record)}
            FieldSubmission.objects.create(key=parsed, user=user, kind=field_kind, commune=commune, result=result)
    except Rejected as exc:
        return _rejected(raw_key, exc.errors, exc.extra)
    except IntegrityError:
        # The same key arrived twice at once: the other request wrote it; this one wrote nothing.
        first = FieldSubmission.objects.filter(key=parsed, user=user).first()
        if first is None:
            raise
        return {**first.result, "repeat": True}
    return result


def field_sync(*, user: User, items: Any) -> list[dict[str, Any]]:
    """Each item on its own: one refused item does not hold back the others."""
    if not isinstance(items, list):
        raise ValidationError(_("The request holds no list of items."))
    if len(items) > MAX_ITEMS:
        raise ValidationError(_("Send at most %(n)s items at once.") % {"n": vn_number(MAX_ITEMS)})
    results = []
    for item in items:
        if not isinstance(item, dict):
            results.append(_rejected("", {"__all__": [_("The item is not readable.")]}))
            continue
        results.append(field_submit(user=user, key=item.get("key"), kind=item.get("kind"), data=item.get("data")))
    return results
