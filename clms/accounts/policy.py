"""The access policy: which role may do what, and where.  The one table everything asks.

Views (``role_required(*roles(Perm.X))`` or ``permission_required``), services
(``require(user, Perm.X, unit)``: a service checks for itself, a view's check is only a
convenience), templates (``{% load access %}{% if user|may:"register.write" %}``), the menu
(``clms.home.navigation``), exports and commands all read ``RULES``.  *Where* a user may act
is ``clms.places.scoping`` (one queryset function per model); this module answers *what*.

A typed policy of our own rather than the ``rules`` package: every decision here is "role in
a set" plus "unit inside the area", and the area half must be a queryset filter (scoping) for
lists anyway; an enum of permissions makes a misspelt permission a type error instead of a
silent False, and the table is one screen that a reviewer can read against the law.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied

from clms.accounts.models import ROLE_LEVELS, Role

if TYPE_CHECKING:
    from clms.accounts.models import User

C, CO, S, A, V, ADM = (Role.COLLABORATOR, Role.COMMUNE_OFFICER, Role.SUPERVISOR, Role.AGENCY_OFFICER,
                      Role.PROVINCE_VIEWER, Role.ADMIN)


class Perm(StrEnum):
    HOME = "home"
    REGISTER_READ = "register.read"  # children, households, observations, visits (personal data)
    REGISTER_WRITE = "register.write"
    REGISTER_MANAGE = "register.manage"  # export, import, merge, the duplicate report
    REPORT_FILE = "cases.report"  # file a report about a child (Children Law Art. 51: anyone)
    REPORT_BLIND = "cases.report_blind"  # reports without reading the register afterwards
    CASE_READ = "cases.read"
    CASE_WORK = "cases.work"
    CASE_FOLLOW_UP = "cases.follow_up"
    DUE_POLICY_SET = "cases.due_policy"
    REFERRAL_READ = "cases.referrals"
    REFERRAL_ANSWER = "cases.referral_answer"
    INBOX = "cases.inbox"
    EMPLOYER_READ = "employers.read"
    EMPLOYER_WRITE = "employers.write"
    OUTREACH_READ = "outreach.read"
    OUTREACH_WRITE = "outreach.write"
    ATTENDANCE_READ = "outreach.attendance"  # attendance lists name people
    PLAN_READ = "plans.read"
    PLAN_WRITE = "plans.write"  # a commune adopts its own plan from the district or province plan
    BUDGET_READ = "plans.budget"
    BUDGET_WRITE = "plans.budget_write"
    PILOT_READ = "plans.pilots"
    TASK_UPDATE = "plans.task_update"
    INDICATORS_READ = "indicators.read"
    INDICATOR_DRILL = "indicators.drill"  # drill-down lists children
    REPORTS_READ = "reports.read"
    REPORTS_SEND = "reports.send"
    PERIODS_READ = "reports.periods"
    UNITS_READ = "places.read"
    UNITS_WRITE = "places.write"  # villages, denominators
    USERS_READ = "accounts.users"
    LAW_CHECK = "legal.classify"


ALL = frozenset({C, CO, S, A, V, ADM})

# Administrators pass every check (they are listed so that the table reads completely).
RULES: dict[Perm, frozenset[str]] = {
    Perm.HOME: ALL,
    Perm.REGISTER_READ: frozenset({C, CO, S, ADM}),
    Perm.REGISTER_WRITE: frozenset({C, CO, S, ADM}),
    Perm.REGISTER_MANAGE: frozenset({CO, S, ADM}),
    Perm.REPORT_FILE: frozenset({C, CO, S, A, ADM}),
    Perm.REPORT_BLIND: frozenset({A}),
    Perm.CASE_READ: frozenset({C, CO, S, ADM}),
    Perm.CASE_WORK: frozenset({CO, S, ADM}),
    Perm.CASE_FOLLOW_UP: frozenset({C, CO, S, ADM}),
    Perm.DUE_POLICY_SET: frozenset({CO, S, ADM}),
    Perm.REFERRAL_READ: frozenset({CO, S, A, ADM}),
    Perm.REFERRAL_ANSWER: frozenset({A, ADM}),
    Perm.INBOX: ALL,
    Perm.EMPLOYER_READ: frozenset({CO, S, A, ADM}),
    Perm.EMPLOYER_WRITE: frozenset({CO, S, ADM}),
    Perm.OUTREACH_READ: frozenset({CO, S, A, V, ADM}),
    Perm.OUTREACH_WRITE: frozenset({CO, S, A, ADM}),
    Perm.ATTENDANCE_READ: frozenset({CO, S, A, ADM}),
    Perm.PLAN_READ: ALL,
    Perm.PLAN_WRITE: frozenset({CO, ADM}),
    Perm.BUDGET_READ: frozenset({CO, S, V, ADM}),
    Perm.BUDGET_WRITE: frozenset({CO, S, ADM}),
    Perm.PILOT_READ: frozenset({CO, S, A, V, ADM}),
    Perm.TASK_UPDATE: frozenset({A, S, ADM}),
    Perm.INDICATORS_READ: frozenset({CO, S, A, V, ADM}),
    Perm.INDICATOR_DRILL: frozenset({CO, S, ADM}),
    Perm.REPORTS_READ: frozenset({CO, S, V, ADM}),
    Perm.REPORTS_SEND: frozenset({CO, S, ADM}),
    Perm.PERIODS_READ: frozenset({S, V, ADM}),
    Perm.UNITS_READ: frozenset({CO, S, V, ADM}),
    Perm.UNITS_WRITE: frozenset({CO, S, ADM}),
    Perm.USERS_READ: frozenset({CO, S, ADM}),
    Perm.LAW_CHECK: ALL,
}


def roles(perm: Perm) -> tuple[str, ...]:
    """The roles holding ``perm``, for ``role_required(*roles(...))`` and role-set constants."""
    return tuple(sorted(RULES[perm]))


def _role(user: User) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    return Role.ADMIN if user.is_superuser else user.role


def may(user: User, perm: Perm | str, unit: Any = None) -> bool:
    """Whether ``user`` may ``perm`` at all, and, given a unit, inside that unit (the unit lies
    in the user's area; a province viewer never writes).  Objects: scope through the model's
    ``<model>s_for_user`` selector -- a record the selector does not return is not the user's."""
    role = _role(user)
    if role is None:
        return False
    if role != Role.ADMIN and role not in RULES[Perm(perm)]:
        return False
    if unit is None:
        return True
    from clms.places.scoping import can_write_unit

    return can_write_unit(user, unit)


def require(user: User, perm: Perm | str, unit: Any = None) -> None:
    """``may`` or PermissionDenied: the check a service makes itself."""
    if not may(user, perm, unit):
        raise PermissionDenied


def role_fits_unit(role: str, unit: Any) -> bool:
    """Whether a user with ``role`` may be attached to ``unit`` (``ROLE_LEVELS``): a commune
    officer to a commune, a collaborator to a village or commune, ….  No unit fits only the
    administrator (the whole country)."""
    if unit is None:
        return role == Role.ADMIN
    return unit.level in ROLE_LEVELS.get(role, ())


def assignable_roles(actor: User, unit: Any) -> list[str]:
    """Roles ``actor`` may give a user attached to ``unit``: the unit must fit the role and lie
    inside the actor's area; only administrators create administrators and supervisors.
    (For the user-management pages, issue 19.)"""
    if not may(actor, Perm.USERS_READ, unit) and not (unit is None and _role(actor) == Role.ADMIN):
        return []
    allowed = [r for r in Role.values if role_fits_unit(r, unit)]
    if _role(actor) != Role.ADMIN:
        allowed = [r for r in allowed if r not in (Role.ADMIN, Role.SUPERVISOR)]
    return allowed
