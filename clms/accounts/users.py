"""Managing accounts from the site: system administrators anywhere, supervisors in their area.

The roles a unit may hold are ROLE_LEVELS (a commune officer sits at a commune, a province
viewer at the province); the services enforce it whatever the form offered. Every change is
audited; a password set here is temporary and must be changed at the next login."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clms.accounts.audit import audit_log
from clms.accounts.models import ROLE_LEVELS, Agency, AuditAction, Role, User
from clms.core.locking import save_versioned
from clms.places.models import AdminUnit, Level
from clms.places.scoping import can_write_unit

MANAGER_ROLES = (Role.ADMIN, Role.SUPERVISOR)


def may_manage_users(by: User) -> bool:
    return bool(getattr(by, "is_authenticated", False) and (by.is_admin or by.role == Role.SUPERVISOR))


def roles_for(by: User) -> list[str]:
    """The roles ``by`` may give: an administrator any; a supervisor any but administrator."""
    if getattr(by, "is_admin", False):
        return list(Role.values)
    if getattr(by, "role", None) == Role.SUPERVISOR:
        return [r for r in Role.values if r != Role.ADMIN]
    return []


def may_manage(by: User, target: User) -> bool:
    """Whether ``by`` may change the account ``target``: not their own role or area, and, for a
    supervisor, an account of their area that is not an administrator's."""
    if not may_manage_users(by):
        return False
    if by.is_admin:
        return True
    return target.role != Role.ADMIN and target.area is not None and can_write_unit(by, target.area)


def temporary_password() -> str:
    return secrets.token_urlsafe(9)


def _check(by: User, *, role: str, area: AdminUnit | None, agency: str) -> None:
    if not may_manage_users(by):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if role not in roles_for(by):
        errors["role"] = [_("You may not give this role.")]
    elif area is None:
        if role != Role.ADMIN:
            errors["area"] = [_("Choose the unit the person works for.")]
    else:
        if area.level not in ROLE_LEVELS.get(role, ()):
            levels = ", ".join(str(Level(lv).label) for lv in ROLE_LEVELS[role])
            errors["area"] = [_("A %(role)s works at the level: %(levels)s.") % {"role": Role(role).label, "levels": levels}]
        if not by.is_admin and not can_write_unit(by, area):
            errors["area"] = [_("This unit lies outside your area.")]
    if role == Role.AGENCY_OFFICER and agency not in Agency.values:
        errors["agency"] = [_("Choose the agency of an agency officer.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_create(*, by: User, username: str, full_name: str, role: str, area: AdminUnit | None, agency: str = "",
                email: str = "", phone: str = "", password: str = "", request: Any = None) -> tuple[User, str]:
    """Create an account; returns it and its temporary password (given or generated)."""
    _check(by, role=role, area=area, agency=agency)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This username is taken.")]})
    password = password or temporary_password()
    user = User(
        username=username, full_name=full_name.strip(), role=role, area=area,
        agency=agency if role == Role.AGENCY_OFFICER else "", email=email.strip(), phone=phone.strip(),
        must_change_password=True, is_staff=role == Role.ADMIN,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_log(user=by, action=AuditAction.CREATE, object_type="accounts.user", object_id=user.pk, request=request,
              detail={"role": role, "area": getattr(area, "pk", None)})
    return user, password


@transaction.atomic
def user_update(*, by: User, user: User, full_name: str, role: str, area: AdminUnit | None, agency: str = "",
                email: str = "", phone: str = "", version: int, request: Any = None) -> User:
    """Save the managed fields if nobody saved the account since ``version`` was loaded
    (StaleEdit otherwise: the second of two managers reloads instead of overwriting)."""
    if not may_manage(by, user):
        raise PermissionDenied
    if user.pk == by.pk and (role != user.role or area != user.area):
        raise ValidationError({"role": [_("Ask another administrator to change your own role or unit.")]})
    _check(by, role=role, area=area, agency=agency)
    before = {"role": user.role, "area": user.area_id, "agency": user.agency}
    # Only the fields of the form, so a concurrent password change or login is not overwritten.
    values = {
        "full_name": full_name.strip(), "role": role, "area": area, "agency": agency if role == Role.AGENCY_OFFICER else "",
        "email": email.strip(), "phone": phone.strip(), "is_staff": role == Role.ADMIN,
    }
    for name, value in values.items():
        setattr(user, name, value)
    save_versioned(user, expected_version=version, fields=values)
    user.refresh_from_db()
    audit_log(user=by, action=AuditAction.UPDATE, object_type="accounts.user", object_id=user.pk, request=request,
              detail={"before": before, "after": {"role": role, "area": getattr(area, "pk", None), "agency": user.agency}})
    return user


@transaction.atomic
def user_set_active(*, by: User, user: User, active: bool, request: Any = None) -> User:
    """Deactivate (never delete: the audit trail and the cases keep their author) or reactivate."""
    if not may_manage(by, user):
        raise PermissionDenied
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    audit_log(user=by, action=AuditAction.UPDATE, object_type="accounts.user", object_id=user.pk, request=request,
              detail={"active": active})
    return user


@transaction.atomic
def user_reset_password(*, by: User, user: User, request: Any = None) -> str:
    """A new temporary password, shown once to the manager; the person must change it."""
    if not may_manage(by, user) or user.pk == by.pk:
        raise PermissionDenied
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_log(user=by, action=AuditAction.UPDATE, object_type="accounts.user", object_id=user.pk, request=request,
              detail={"password_reset": True})
    return password


def user_password_changed(*, user: User) -> None:
    if user.must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
