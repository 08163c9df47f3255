"""Craft villages and employers: the register of places of work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.core.locking import save_versioned
from clms.employers import taxcode
from clms.employers.models import (
    CraftVillage,
    Employer,
    EmployerKind,
)
from clms.employers.services.common import apply_fields, check_place, check_write, today
from clms.places.models import (
    AdminUnit,
)
from clms.rules import fold

if TYPE_CHECKING:
    from clms.accounts.models import User

# ---------------------------------------------------------------------------
# Craft villages and employers
# ---------------------------------------------------------------------------


def _validate_craft_village(cv: CraftVillage) -> None:
    check_place(cv.commune, cv.village)
    cv.name = " ".join(cv.name.split())
    cv.name_folded = fold(cv.name)
    if cv.recognised_on and cv.recognised_on > today():
        raise ValidationError({"recognised_on": _("The recognition date is in the future.")})
    cv.full_clean()


@transaction.atomic
def craft_village_create(
    *, user: User, commune: AdminUnit, name: str, trade: str, village: AdminUnit | None = None, **fields: Any
) -> CraftVillage:
    check_write(user, commune)
    cv = CraftVillage(commune=commune, village=village, name=name, trade=trade.strip())
    apply_fields(cv, fields)
    _validate_craft_village(cv)
    cv.save()
    return cv


@transaction.atomic
def craft_village_update(*, user: User, craft_village: CraftVillage, version: int, **fields: Any) -> CraftVillage:
    check_write(user, craft_village.commune)
    apply_fields(craft_village, fields)
    check_write(user, craft_village.commune)
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
    check_place(employer.commune, employer.village)
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
    if employer.registered_on and employer.registered_on > today():
        errors.setdefault("registered_on", []).append(_("The registration date is in the future."))
    if errors:
        raise ValidationError(errors)
    employer.full_clean()


@transaction.atomic
def employer_create(
    *, user: User, kind: str, name: str, sector: str, commune: AdminUnit, village: AdminUnit | None = None, **fields: Any
) -> Employer:
    check_write(user, commune)
    employer = Employer(kind=kind, name=name, sector=sector, commune=commune, village=village, created_by=user)
    apply_fields(employer, fields)
    _validate_employer(employer)
    employer.save()
    return employer


@transaction.atomic
def employer_update(*, user: User, employer: Employer, version: int, **fields: Any) -> Employer:
    check_write(user, employer.commune)
    apply_fields(employer, fields)
    check_write(user, employer.commune)
    _validate_employer(employer)
    save_versioned(employer, expected_version=version, fields=[*fields, "name", "name_folded", "tax_code", "size"])
    return employer
