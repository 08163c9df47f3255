"""Inspections, the children found working there, and the case a found child opens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.models import Agency
from clms.cases import services as case_services
from clms.cases.models import Case
from clms.core.locking import save_versioned
from clms.employers.models import (
    ORGANISATION_KINDS,
    Employer,
    FoundChild,
    Inspection,
    OffenderType,
    Violation,
)
from clms.employers.services.common import check_write, today
from clms.people.duplicates import find_duplicates
from clms.people.models import Activity, Child, Classification
from clms.people.selectors import children_for_user
from clms.people.services import child_create, observation_record
from clms.places.models import (
    AdminUnit,
)

if TYPE_CHECKING:
    from clms.accounts.models import User

# ---------------------------------------------------------------------------
# Inspections
# ---------------------------------------------------------------------------


def _validate_inspection(*, inspected_on: dt.date, lead_agency: str, employers: Sequence[Employer], follow_up_of: Inspection | None) -> None:
    errors: dict[str, list[str]] = {}
    if inspected_on > today():
        errors.setdefault("inspected_on", []).append(_("The inspection date is in the future."))
    if lead_agency not in Agency.values:
        errors.setdefault("lead_agency", []).append(_("Choose the lead agency."))
    if not employers:
        errors.setdefault("employers", []).append(_("Choose at least one employer."))
    if follow_up_of is not None and follow_up_of.inspected_on > inspected_on:
        errors.setdefault("follow_up_of", []).append(_("A follow-up cannot take place before the inspection it follows."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inspection_record(
    *,
    user: User,
    kind: str,
    inspected_on: dt.date,
    lead_agency: str,
    employers: Iterable[Employer],
    team: str = "",
    members: Iterable[Any] = (),
    findings: str = "",
    follow_up_of: Inspection | None = None,
) -> Inspection:
    employer_list = list(employers)
    for employer in employer_list:
        check_write(user, employer.commune)
    _validate_inspection(inspected_on=inspected_on, lead_agency=lead_agency, employers=employer_list, follow_up_of=follow_up_of)
    inspection = Inspection(
        kind=kind,
        inspected_on=inspected_on,
        lead_agency=lead_agency,
        team=team.strip(),
        findings=findings.strip(),
        follow_up_of=follow_up_of,
        created_by=user,
    )
    inspection.full_clean()
    inspection.save()
    inspection.employers.set(employer_list)
    inspection.members.set(list(members))
    return inspection


@transaction.atomic
def inspection_update_findings(*, user: User, inspection: Inspection, version: int, findings: str) -> Inspection:
    for employer in inspection.employers.all():
        check_write(user, employer.commune)
    inspection.findings = findings.strip()
    save_versioned(inspection, expected_version=version, fields=["findings"])
    return inspection


@dataclass(frozen=True)
class DuplicateCandidate:
    child: Child
    score: float


class DuplicateSuspected(Exception):
    """The register may already hold this child; the officer must pick one or confirm a new one."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        super().__init__("possible duplicates")
        self.candidates = candidates


def child_duplicates(
    *, user: User, full_name: str, dob: dt.date, commune: AdminUnit, village: AdminUnit | None = None
) -> list[DuplicateCandidate]:
    """Children of the register the user may see who could be the same child (the register's
    own matcher, ``clms.people.duplicates``), asked while recording an inspection in ``commune``."""
    check_write(user, commune)
    found = find_duplicates(user=user, full_name=full_name, dob=dob, commune=commune, village=village, limit=5)
    return [DuplicateCandidate(child=c.child, score=float(c.score)) for c in found]


OBSERVATION_FIELDS = (
    "job_code",
    "workplace_code",
    "job_description",
    "hours_per_day",
    "days_per_week",
    "night_work",
    "overtime",
    "parent_consent",
    "separate_register",
    "contract_written",
    "health_cert",
    "affects_study_time",
    "osh_age_appropriate",
    "provincial_consent",
    "paid",
    "note",
)


@transaction.atomic
def inspection_add_child(
    *,
    user: User,
    inspection: Inspection,
    employer: Employer,
    child: Child | None = None,
    new_child: dict[str, Any] | None = None,
    not_a_duplicate: bool = False,
    observation: dict[str, Any],
) -> FoundChild:
    """Link a child found working to the register, record the observation, propose violations.

    Either ``child`` (picked from the register) or ``new_child`` (full_name, sex, dob,
    commune, village, household) is given.  A new child that looks like one already on the
    register raises DuplicateSuspected unless the officer said it is not a duplicate.
    """
    if not inspection.employers.filter(pk=employer.pk).exists():
        raise ValidationError({"employer": _("This employer was not part of the inspection.")})
    check_write(user, employer.commune)
    unknown = set(observation) - set(OBSERVATION_FIELDS)
    if unknown:
        raise ValueError(f"unknown observation fields {sorted(unknown)}")
    if child is None:
        if not new_child:
            raise ValidationError({"child": _("Pick a child from the register or enter a new one.")})
        if not not_a_duplicate:
            candidates = child_duplicates(
                user=user,
                full_name=new_child["full_name"],
                dob=new_child["dob"],
                commune=new_child["commune"],
                village=new_child.get("village"),
            )
            if candidates:
                raise DuplicateSuspected(candidates)
        child = child_create(user=user, **new_child)
    elif not children_for_user(user).filter(pk=child.pk).exists():
        raise PermissionDenied
    if FoundChild.objects.filter(inspection=inspection, child=child).exists():
        raise ValidationError({"child": _("This child is already recorded in this inspection.")})
    recorded = observation_record(
        user=user,
        child=child,
        observed_on=inspection.inspected_on,
        activity=Activity.EMPLOYED,
        employer=employer,
        **observation,
    )
    found = FoundChild.objects.create(
        inspection=inspection, employer=employer, child=child, observation=recorded, created_by=user
    )
    violations_propose(found_child=found)
    return found


def offender_type_for(employer: Employer) -> str:
    return OffenderType.ORGANISATION if employer.kind in ORGANISATION_KINDS else OffenderType.INDIVIDUAL


def violations_propose(*, found_child: FoundChild) -> list[Violation]:
    """One proposed Violation per breach clms.rules found in the observation under the law.

    The fine range is the one for the employer's offender type (organisations pay double);
    both ranges are kept so the page can show them side by side.
    """
    law = Classification.objects.filter(
        observation_id=found_child.observation_id, ruleset="vn-law", is_current=True
    ).first()
    if law is None:
        return []
    offender = offender_type_for(found_child.employer)
    # One conduct, one fine: 5 h/day and 30 h/week are both "beyond the hours of Art. 146",
    # so breaches that fall under the same clause and point are proposed as one violation.
    groups: dict[tuple[str, str, str] | str, list[dict[str, Any]]] = {}
    for item in law.violations:
        sanction = item.get("sanction")
        key = (sanction["decree"], sanction["clause"], sanction["point"] or "") if sanction else item["code"]
        groups.setdefault(key, []).append(item)
    existing = set(
        Violation.objects.filter(observation_id=found_child.observation_id).values_list("code", flat=True)
    )
    created = []
    for items in groups.values():
        code = "+".join(i["code"] for i in items)
        if code in existing:
            continue
        first = items[0]
        sanction = first.get("sanction") or {}
        individual = sanction.get("fine_individual") or [None, None]
        organisation = sanction.get("fine_organisation") or [None, None]
        chosen = organisation if offender == OffenderType.ORGANISATION else individual
        violation = Violation(
            inspection_id=found_child.inspection_id,
            employer_id=found_child.employer_id,
            child_id=found_child.child_id,
            observation_id=found_child.observation_id,
            rule_id=first["rule_id"],
            code=code[:32],
            description="; ".join(i["description"] for i in items),
            legal_basis="; ".join(dict.fromkeys(i["legal_basis"] for i in items)),
            decree=sanction.get("decree", "") or "",
            article=sanction.get("article", "") or "",
            clause=sanction.get("clause", "") or "",
            point=sanction.get("point") or "",
            offender_type=offender,
            fine_min=chosen[0],
            fine_max=chosen[1],
            fine_individual_min=individual[0],
            fine_individual_max=individual[1],
            fine_organisation_min=organisation[0],
            fine_organisation_max=organisation[1],
        )
        violation.full_clean()
        violation.save()
        created.append(violation)
    return created


# ---------------------------------------------------------------------------
# Cases: a found child opens a case in one step
# ---------------------------------------------------------------------------


@transaction.atomic
def found_child_open_case(*, user: User, found_child: FoundChild) -> Case:
    check_write(user, found_child.employer.commune)
    case = case_services.case_open_for_child(user=user, child=found_child.child)
    found_child.case_opened_at = timezone.now()
    found_child.case_ref = str(getattr(case, "pk", "") or "")[:40]
    found_child.save(update_fields=["case_opened_at", "case_ref"])
    return case
