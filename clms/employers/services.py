"""Writes to employers, craft villages, commitments, inspections and violations.

Views change data only through these functions.  Every function checks that the user may
write in the commune concerned, validates, and writes in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.models import Agency
from clms.accounts.policy import RULES, Perm
from clms.cases import services as case_services
from clms.cases.models import Case
from clms.core.locking import save_versioned
from clms.employers import files, taxcode
from clms.employers.models import (
    ORGANISATION_KINDS,
    Commitment,
    CraftVillage,
    Employer,
    EmployerKind,
    FoundChild,
    Inspection,
    OffenderType,
    Violation,
    ViolationStatus,
)
from clms.employers.selectors import derived_denominators
from clms.people.duplicates import find_duplicates
from clms.people.models import Activity, Child, Classification
from clms.people.selectors import children_for_user
from clms.people.services import child_create, observation_record
from clms.places.models import (
    AdminUnit,
    Level,
)
from clms.places.scoping import can_write_unit
from clms.places.services import DeriveResult, denominators_write_derived
from clms.rules import fold

WRITER_ROLES = RULES[Perm.EMPLOYER_WRITE]


def _today() -> dt.date:
    return timezone.localdate()


def _check_write(user: Any, unit: AdminUnit) -> None:
    if not (user.is_superuser or user.role in WRITER_ROLES) or not can_write_unit(user, unit):
        raise PermissionDenied


def _check_place(commune: AdminUnit, village: AdminUnit | None) -> None:
    if commune.level != Level.COMMUNE:
        raise ValidationError({"commune": _("Choose a commune.")})
    if village is not None and (village.level != Level.VILLAGE or village.parent_id != commune.pk):
        raise ValidationError({"village": _("This village does not belong to the commune.")})


def _apply(obj: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


# ---------------------------------------------------------------------------
# Craft villages and employers
# ---------------------------------------------------------------------------


def _validate_craft_village(cv: CraftVillage) -> None:
    _check_place(cv.commune, cv.village)
    cv.name = " ".join(cv.name.split())
    cv.name_folded = fold(cv.name)
    if cv.recognised_on and cv.recognised_on > _today():
        raise ValidationError({"recognised_on": _("The recognition date is in the future.")})
    cv.full_clean()


@transaction.atomic
def craft_village_create(
    *, user: Any, commune: AdminUnit, name: str, trade: str, village: AdminUnit | None = None, **fields: Any
) -> CraftVillage:
    _check_write(user, commune)
    cv = CraftVillage(commune=commune, village=village, name=name, trade=trade.strip())
    _apply(cv, fields)
    _validate_craft_village(cv)
    cv.save()
    return cv


@transaction.atomic
def craft_village_update(*, user: Any, craft_village: CraftVillage, version: int, **fields: Any) -> CraftVillage:
    _check_write(user, craft_village.commune)
    _apply(craft_village, fields)
    _check_write(user, craft_village.commune)
    _validate_craft_village(craft_village)
    save_versioned(craft_village, expected_version=version, fields=[*fields, "name", "name_folded"])
    return craft_village


def tax_code_clean(value: str) -> str:
    """The tax code in its stored form, or a ValidationError on ``tax_code`` saying what is wrong."""
    value = taxcode.normalise(value or "")
    if not value:
        return ""
    problem = taxcode.problem(value)
    if problem == "format":
        raise ValidationError(
            {"tax_code": _("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch (e.g. 2801234564-001), or for an individual or household business the 12-digit personal identification number.")}
        )
    if problem == "personal_province":
        raise ValidationError({"tax_code": _("This 12-digit personal identification number is not valid: its first three digits are not a province code. Check it again.")})
    if problem == "check_digit":
        raise ValidationError({"tax_code": _("This tax code is not valid: its last digit does not match. Check it again.")})
    return value


def _validate_employer(employer: Employer) -> None:
    _check_place(employer.commune, employer.village)
    errors: dict[str, list[str]] = {}
    employer.name = " ".join(employer.name.split())
    employer.name_folded = fold(employer.name)
    try:
        employer.tax_code = tax_code_clean(employer.tax_code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if employer.tax_code and Employer.objects.filter(tax_code=employer.tax_code).exclude(pk=employer.pk).exists():
        errors.setdefault("tax_code", []).append(_("Another employer is already registered with this tax code."))
    if employer.kind == EmployerKind.ENTERPRISE and not employer.size:
        errors.setdefault("size", []).append(_("Choose the size of the enterprise."))
    if employer.kind != EmployerKind.ENTERPRISE:
        employer.size = ""
    cv = employer.craft_village
    if cv is not None and cv.commune_id != employer.commune_id:
        errors.setdefault("craft_village", []).append(_("The craft village is in another commune."))
    if employer.registered_on and employer.registered_on > _today():
        errors.setdefault("registered_on", []).append(_("The registration date is in the future."))
    if errors:
        raise ValidationError(errors)
    employer.full_clean()


@transaction.atomic
def employer_create(
    *, user: Any, kind: str, name: str, sector: str, commune: AdminUnit, village: AdminUnit | None = None, **fields: Any
) -> Employer:
    _check_write(user, commune)
    employer = Employer(kind=kind, name=name, sector=sector, commune=commune, village=village, created_by=user)
    _apply(employer, fields)
    _validate_employer(employer)
    employer.save()
    return employer


@transaction.atomic
def employer_update(*, user: Any, employer: Employer, version: int, **fields: Any) -> Employer:
    _check_write(user, employer.commune)
    _apply(employer, fields)
    _check_write(user, employer.commune)
    _validate_employer(employer)
    save_versioned(employer, expected_version=version, fields=[*fields, "name", "name_folded", "tax_code", "size"])
    return employer


# ---------------------------------------------------------------------------
# Commitments
# ---------------------------------------------------------------------------


def commitment_document_check(upload: UploadedFile) -> files.FileKind:
    """The kind of a scanned commitment, judged by its first bytes; a ValidationError otherwise."""
    if upload.size is None or upload.size > files.MAX_BYTES:
        raise ValidationError({"document": _("The file is larger than 5 MB.")})
    if upload.size == 0:
        raise ValidationError({"document": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = files.kind_of(head)
    if kind is None:
        raise ValidationError({"document": _("Upload a PDF, JPEG or PNG file (the content of this file is not one of them).")})
    return kind


@transaction.atomic
def commitment_record(
    *,
    user: Any,
    employer: Employer,
    signed_on: dt.date,
    signer_name: str,
    signer_title: str = "",
    expires_on: dt.date | None = None,
    note: str = "",
    document: UploadedFile | None = None,
) -> Commitment:
    _check_write(user, employer.commune)
    errors: dict[str, list[str]] = {}
    if signed_on > _today():
        errors.setdefault("signed_on", []).append(_("The signing date is in the future."))
    if expires_on is not None and expires_on < signed_on:
        errors.setdefault("expires_on", []).append(_("The commitment cannot end before it was signed."))
    kind = None
    if document is not None:
        try:
            kind = commitment_document_check(document)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    commitment = Commitment(
        employer=employer,
        signed_on=signed_on,
        signer_name=" ".join(signer_name.split()),
        signer_title=signer_title.strip(),
        expires_on=expires_on,
        note=note,
        created_by=user,
    )
    if document is not None and kind is not None:
        commitment.document_name = (document.name or "")[-255:]
        commitment.document_type = kind.content_type
        commitment.document_size = document.size
        commitment.document.save(f"scan{kind.extension}", document, save=False)
    commitment.full_clean()
    commitment.save()
    return commitment


# ---------------------------------------------------------------------------
# Inspections
# ---------------------------------------------------------------------------


def _validate_inspection(*, inspected_on: dt.date, lead_agency: str, employers: Sequence[Employer], follow_up_of: Inspection | None) -> None:
    errors: dict[str, list[str]] = {}
    if inspected_on > _today():
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
    user: Any,
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
        _check_write(user, employer.commune)
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
def inspection_update_findings(*, user: Any, inspection: Inspection, version: int, findings: str) -> Inspection:
    for employer in inspection.employers.all():
        _check_write(user, employer.commune)
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
    *, user: Any, full_name: str, dob: dt.date, commune: AdminUnit, village: AdminUnit | None = None
) -> list[DuplicateCandidate]:
    """Children of the register the user may see who could be the same child (the register's
    own matcher, ``clms.people.duplicates``)."""
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
    user: Any,
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
    _check_write(user, employer.commune)
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
# Violations: proposed -> confirmed -> penalised -> remedied, or dismissed
# ---------------------------------------------------------------------------


def _transition(violation: Violation, allowed: Iterable[str]) -> None:
    if violation.status not in allowed:
        raise ValidationError(
            _("This violation is “%(status)s”; that step is not possible now.") % {"status": violation.get_status_display()}
        )


def _check_deadline(deadline: dt.date | None, violation: Violation) -> None:
    if deadline is not None and deadline < violation.inspection.inspected_on:
        raise ValidationError({"remedy_deadline": _("The remedy deadline is before the inspection.")})


@transaction.atomic
def violation_confirm(*, user: Any, violation: Violation, version: int, remedy_deadline: dt.date | None = None) -> Violation:
    _check_write(user, violation.employer.commune)
    _transition(violation, [ViolationStatus.PROPOSED])
    _check_deadline(remedy_deadline, violation)
    violation.status = ViolationStatus.CONFIRMED
    violation.remedy_deadline = remedy_deadline
    violation.updated_by = user
    save_versioned(violation, expected_version=version, fields=["status", "remedy_deadline", "updated_by"])
    return violation


@transaction.atomic
def violation_penalise(
    *,
    user: Any,
    violation: Violation,
    version: int,
    decision_number: str,
    decision_date: dt.date,
    fine_amount: int,
    remedy_deadline: dt.date | None = None,
) -> Violation:
    _check_write(user, violation.employer.commune)
    _transition(violation, [ViolationStatus.CONFIRMED])
    errors: dict[str, list[str]] = {}
    if not decision_number.strip():
        errors.setdefault("decision_number", []).append(_("Enter the number of the sanction decision."))
    if decision_date < violation.inspection.inspected_on:
        errors.setdefault("decision_date", []).append(_("The decision date is before the inspection."))
    if decision_date > _today():
        errors.setdefault("decision_date", []).append(_("The decision date is in the future."))
    if violation.fine_min is None or violation.fine_max is None:
        errors.setdefault("fine_amount", []).append(
            _("The decree sets no administrative fine for this violation; refer it to the police instead.")
        )
    elif not violation.fine_min <= fine_amount <= violation.fine_max:
        errors.setdefault("fine_amount", []).append(
            _("The fine must be between %(low)s and %(high)s đồng.")
            % {"low": _money(violation.fine_min), "high": _money(violation.fine_max)}
        )
    if errors:
        raise ValidationError(errors)
    _check_deadline(remedy_deadline, violation)
    violation.status = ViolationStatus.PENALISED
    violation.decision_number = decision_number.strip()
    violation.decision_date = decision_date
    violation.fine_amount = fine_amount
    if remedy_deadline is not None:
        violation.remedy_deadline = remedy_deadline
    violation.updated_by = user
    save_versioned(
        violation,
        expected_version=version,
        fields=["status", "decision_number", "decision_date", "fine_amount", "remedy_deadline", "updated_by"],
    )
    return violation


@transaction.atomic
def violation_remedy(*, user: Any, violation: Violation, version: int, remedied_on: dt.date) -> Violation:
    _check_write(user, violation.employer.commune)
    _transition(violation, [ViolationStatus.CONFIRMED, ViolationStatus.PENALISED])
    if remedied_on < violation.inspection.inspected_on or remedied_on > _today():
        raise ValidationError({"remedied_on": _("The remedy date must lie between the inspection and today.")})
    violation.status = ViolationStatus.REMEDIED
    violation.remedied_on = remedied_on
    violation.updated_by = user
    save_versioned(violation, expected_version=version, fields=["status", "remedied_on", "updated_by"])
    return violation


@transaction.atomic
def violation_dismiss(*, user: Any, violation: Violation, version: int, reason: str) -> Violation:
    _check_write(user, violation.employer.commune)
    _transition(violation, [ViolationStatus.PROPOSED, ViolationStatus.CONFIRMED])
    if not reason.strip():
        raise ValidationError({"dismissed_reason": _("Say why the violation is dismissed.")})
    violation.status = ViolationStatus.DISMISSED
    violation.dismissed_reason = reason.strip()
    violation.updated_by = user
    save_versioned(violation, expected_version=version, fields=["status", "dismissed_reason", "updated_by"])
    return violation


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


# ---------------------------------------------------------------------------
# Cases: a found child opens a case in one step
# ---------------------------------------------------------------------------


@transaction.atomic
def found_child_open_case(*, user: Any, found_child: FoundChild) -> Case:
    _check_write(user, found_child.employer.commune)
    case = case_services.case_open_for_child(user=user, child=found_child.child)
    found_child.case_opened_at = timezone.now()
    found_child.case_ref = str(getattr(case, "pk", "") or "")[:40]
    found_child.save(update_fields=["case_opened_at", "case_ref"])
    return case


# ---------------------------------------------------------------------------
# Denominators derived from the register
# ---------------------------------------------------------------------------

@transaction.atomic
def denominators_derive(*, user: Any, unit: AdminUnit, year: int) -> DeriveResult:
    """Write the enterprise, cooperative and craft-household denominators of ``year`` for the
    commune ``unit`` (or every commune under it) from this register.

    Counts employers active and registered by the end of the year (cooperative groups count
    as cooperatives), and the households of the craft villages recognised by then: the
    village's recorded household count, or else the register's households linked to it.
    A merged commune also counts what is registered under the communes it absorbed.
    Figures someone entered or imported are never overwritten.
    """
    _check_write(user, unit)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    return denominators_write_derived(
        user=user, year=year, values=derived_denominators(unit=unit, year=year),
        note=_("Derived from the employer register"),
    )
