"""Reports of a child in child labour, and the cases they open."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction, Role, User
from clms.accounts.policy import Perm, require
from clms.cases.calendar import current_calendar
from clms.cases.models import (
    OPEN_STATES,
    Case,
    EventKind,
    NotificationKind,
    Report,
    ReporterIdentity,
    Source,
    State,
    StepCode,
)
from clms.cases.selectors import (
    CHILD_LABOUR_CATEGORIES,
    child_needs_case,
    latest_classification,
)
from clms.cases.services.common import (
    BLIND_REPORTERS,
    CLOCK_SKEW,
    OLDEST_REPORT,
    REPORT_ROLES,
    check_case_writer,
    event_add,
    step_open,
)
from clms.cases.services.notifications import commune_officers, notify
from clms.core.history import history_record
from clms.core.locking import save_versioned
from clms.people.duplicates import find_duplicates
from clms.people.models import Child
from clms.places.models import AdminUnit, Level
from clms.places.scoping import area_prefixes, can_write_unit
from clms.rules import Category

# ---------------------------------------------------------------------------
# Reports and opening cases
# ---------------------------------------------------------------------------


@dataclass
class NewChild:
    full_name: str
    sex: str
    dob: dt.date
    village: AdminUnit | None = None
    dob_estimated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class PossibleDuplicates(ValidationError):
    """A new child looks like children already registered; the caller shows them."""

    def __init__(self, candidates: list[Any]) -> None:
        super().__init__(_("This child may already be in the register. Pick the child below or confirm that it is a new child."))
        self.candidates = candidates


def _find_duplicates(*, user: User, new: NewChild, commune: AdminUnit) -> list[Any]:
    return list(find_duplicates(
        user=user, full_name=new.full_name, dob=new.dob, commune=commune, village=new.village, limit=5
    ))


def _case_open(*, user: User, report: Report, child: Child, now: dt.datetime) -> Case:
    existing = Case.objects.filter(child=child, state__in=OPEN_STATES).first()
    if existing is not None:
        # One case per child: a new report about a child with an open case joins that case.
        note = _("Another report (no. %(report)s) about this child.") % {"report": report.pk}
        if report.emergency and not existing.emergency:
            Case.objects.filter(pk=existing.pk).update(emergency=True)
            existing.emergency = True
            history_record([existing])  # update() bypasses django-simple-history
            step_open(existing, step=StepCode.EMERGENCY, start=report.received_at)
        event_add(existing, user=user, kind=EventKind.OPENED, now=now, note=note)
        return existing
    case = Case(
        report=report,
        child=child,
        commune=child.commune,
        village=child.village,
        received_at=report.received_at,
        emergency=report.emergency,
    )
    officers = commune_officers(child.commune)
    if user.role == Role.COMMUNE_OFFICER and can_write_unit(user, child.commune):
        case.assigned_to = user
    elif len(officers) == 1:
        case.assigned_to = officers[0]
    case.full_clean()
    case.save()
    event_add(case, user=user, kind=EventKind.OPENED, now=now, to_state=State.REPORTED)
    audit_log(user=user, action=AuditAction.CREATE, object_type="cases.case", object_id=case.pk)
    calendar = current_calendar()
    if case.emergency:
        step_open(case, step=StepCode.EMERGENCY, start=case.received_at, calendar=calendar)
    step_open(case, step=StepCode.INITIAL_ASSESSMENT, start=case.received_at, calendar=calendar)
    step_open(case, step=StepCode.VERIFICATION, start=case.received_at, calendar=calendar)
    if case.assigned_to is not None and case.assigned_to != user:
        notify(
            user=case.assigned_to, case=case, kind=NotificationKind.ASSIGNMENT,
            text=_("New case of %(child)s assigned to you.") % {"child": child.full_name},
        )
    return case


@transaction.atomic
def report_file(
    *,
    user: User,
    source: str,
    received_at: dt.datetime,
    what_seen: str,
    emergency: bool = False,
    children: Iterable[Child] = (),
    new_children: Iterable[NewChild] = (),
    commune: AdminUnit | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_relationship: str = "",
    confirm_new: bool = False,
) -> Report:
    """Record a report and open one case per child (existing ones, or new ones added to the
    register after the duplicate check unless ``confirm_new``)."""
    if not (user.is_admin or user.role in REPORT_ROLES):
        raise PermissionDenied
    from clms.people.selectors import children_for_user
    from clms.people.services import child_create

    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if received_at > now + CLOCK_SKEW:
        errors.setdefault("received_at", []).append(_("The time of receipt is in the future."))
    if timezone.localtime(received_at).date() < OLDEST_REPORT:
        errors.setdefault("received_at", []).append(_("The time of receipt is too far in the past."))
    if not what_seen.strip():
        errors.setdefault("what_seen", []).append(_("Say what was seen."))
    if source not in Source.values:
        errors.setdefault("source", []).append(_("Unknown source."))
    existing = list(children)
    new = list(new_children)
    if not existing and not new:
        errors.setdefault("children", []).append(_("Pick at least one child or enter a new one."))
    visible = set(children_for_user(user).filter(pk__in=[c.pk for c in existing]).values_list("pk", flat=True))
    if any(c.pk not in visible for c in existing):
        raise PermissionDenied
    place = commune or (existing[0].commune if existing else None)
    if place is None and new:
        village = new[0].village
        place = village.parent if village is not None else None
    if place is None or place.level != Level.COMMUNE:
        errors.setdefault("commune", []).append(_("Choose the commune where the child lives."))
    if errors:
        raise ValidationError(errors)
    assert place is not None  # noqa: S101 - checked just above
    blind = user.role in BLIND_REPORTERS
    if blind and not any(place.path.startswith(p) for p in area_prefixes(user)):
        raise PermissionDenied
    if new and not confirm_new and not blind:
        found = [c for n in new for c in _find_duplicates(user=user, new=n, commune=place)]
        if found:
            raise PossibleDuplicates(found)

    village = existing[0].village if existing else (new[0].village if new else None)
    report = Report(
        source=source,
        received_at=received_at,
        commune=place,
        village=village,
        what_seen=what_seen.strip(),
        emergency=emergency,
        filed_by=user,
    )
    report.full_clean()
    report.save()
    if reporter_name.strip() or reporter_phone.strip() or reporter_relationship.strip():
        identity = ReporterIdentity(
            report=report,
            name=reporter_name.strip(),
            phone=reporter_phone.strip(),
            relationship=reporter_relationship.strip(),
        )
        identity.full_clean()
        identity.save()
    audit_log(user=user, action=AuditAction.CREATE, object_type="cases.report", object_id=report.pk)
    for item in new:
        existing.append(
            child_create(
                user=user, commune=place, village=item.village, full_name=item.full_name, sex=item.sex,
                dob=item.dob, dob_estimated=item.dob_estimated, via_report=blind,
                # A report says what was seen, not the child's ethnicity or schooling: what it
                # does not say stays unknown, not "Kinh" and "attending" by default.
                **{"ethnicity": "", "school_status": "", **item.extra},
            )
        )
    for child in existing:
        _case_open(user=user, report=report, child=child, now=now)
    return report


@transaction.atomic
def case_open_for_child(*, user: User, child: Child) -> Case:
    """One step from the register: a minor in child labour or at high risk (see
    ``selectors.case_ground``) gets a report with source "register" and a case."""
    # The area first: what the register holds about another commune's child is not told.
    require(user, Perm.CASE_WORK, child.commune)
    if not child_needs_case(child):
        raise ValidationError(
            _(
                "A case can be opened here only for a minor whose latest classification is child labour, or who is"
                " at high risk, and who has no open case."
            )
        )
    latest = latest_classification(child)
    if latest is not None and latest.category in CHILD_LABOUR_CATEGORIES:
        seen = _("Classified as %(category)s on %(date)s. %(explanation)s") % {
            "category": Category(latest.category).label,
            "date": latest.observation.observed_on.strftime("%d/%m/%Y"),
            "explanation": latest.explanation,
        }
    else:
        seen = _("Assessed at high risk of child labour in the register.")
    report = report_file(
        user=user, source=Source.REGISTER, received_at=timezone.now(), what_seen=seen, children=[child],
        commune=child.commune,
    )
    return report.cases.get()


@transaction.atomic
def case_assign(*, user: User, case: Case, version: int, officer: User) -> Case:
    check_case_writer(user, case)
    if officer.role != Role.COMMUNE_OFFICER or not officer.is_active or not can_write_unit(officer, case.commune):
        raise ValidationError({"officer": _("Choose a commune officer of the child's commune.")})
    case.assigned_to = officer
    save_versioned(case, expected_version=version, fields=["assigned_to"])
    now = timezone.now()
    event_add(case, user=user, kind=EventKind.ASSIGN, now=now, note=str(officer))
    if officer != user:
        notify(
            user=officer, case=case, kind=NotificationKind.ASSIGNMENT,
            text=_("Case of %(child)s assigned to you.") % {"child": case.child.full_name},
        )
    return case
