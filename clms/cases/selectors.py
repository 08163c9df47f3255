"""Reads of cases, always scoped to the user, and the data behind TIMELY and MONITORED.

Indicator definitions (DESIGN §5) on the rows this app writes
-------------------------------------------------------------

Every deadline a case had to meet is one ``CaseStep`` row, written when the step became due:
``step`` (code), ``seq`` (follow-up number, or repetition after a reopening), ``started_at``,
``due_at`` (computed then from the ``DuePolicy`` in force; ``policy_id``/``policy_version``
and ``rule`` say which), ``statutory`` (true: a limit set by Decree 56/2017; false: local
policy), ``done_at`` (when the step was done) and ``cancelled_at`` (the case was closed or
not confirmed before the step was done).  A step *met* its due time when it was done or
cancelled by its due time: ``COALESCE(done_at, cancelled_at) <= due_at``.  A step still
pending is *missed* only once ``due_at`` has passed.

Both are point-in-time figures, judged at ``as_of`` (the period end, or now for the current
year): nothing recorded after ``as_of`` changes them, so a closed year never changes.

TIMELY(unit, year) -- ``timely_cases``
    denominator: cases with ``received_at`` in the calendar year (local time, Asia/Ho_Chi_Minh)
    whose ``commune`` is inside the unit;
    numerator: those of them with no CaseStep that had missed its due time at ``as_of``: a
    step *missed* at ``as_of`` existed then (``created_at <= as_of``), fell due before it
    (``due_at < as_of``) and was not done or cancelled by its due time
    (``COALESCE(done_at, cancelled_at)`` NULL or later than ``due_at``).  A step due after
    ``as_of`` has missed nothing at ``as_of``, whenever it is done later.
    Pass ``statutory_only=True`` for the variant over statutory steps alone; the default
    uses statutory and local-policy steps, as spec §4 asks, and the report says which.

MONITORED(unit, as_of) -- ``monitored_cases`` (DESIGN §5)
    denominator: cases open at ``as_of``: received by then, and whose last CaseEvent with a
    ``to_state`` at or before ``as_of`` (if any) went to an open state (reported, verifying,
    assessed, planned, intervening, monitoring) inside the unit;
    numerator: those "managed and followed": none of their steps (statutory, local policy or
    follow-up visits) was overdue at ``as_of``, i.e. no step with ``created_at <= as_of``,
    ``due_at < as_of`` and ``COALESCE(done_at, cancelled_at)`` NULL or later than ``as_of``.
    A step done late but before ``as_of`` is a TIMELY miss, not an overdue step.  The
    follow-up schedule is a visit at least every 30 days (DuePolicy ``follow_up``): each
    visit closes the open follow_up step and opens the next one, due 30 days after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from clms.accounts.audit import audit_log
from clms.accounts.models import AuditAction, Role
from clms.cases.calendar import current_calendar, due_soon_limit
from clms.cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseStep,
    DuePolicy,
    Notification,
    NotificationKind,
    Referral,
    Report,
    ReporterIdentity,
    StepCode,
)
from clms.core import figure_cache
from clms.people.models import Child, Classification, RiskLevel
from clms.people.selectors import minors_q
from clms.places.roots import wide_scope_roots
from clms.places.scoping import area_prefixes, personal_data_q, unit_q
from clms.rules import Category, age_in_years, fold

if TYPE_CHECKING:
    from clms.accounts.models import User

CHILD_LABOUR_CATEGORIES = frozenset({Category.CHILD_LABOUR.value, Category.HAZARDOUS_CHILD_LABOUR.value})
# Children Law Art. 1: a child is a person under 16.
CHILD_AGE_LIMIT = 16


# ---------------------------------------------------------------------------
# Scoping
# ---------------------------------------------------------------------------


def cases_for_user(user: User) -> QuerySet[Case]:
    """Cases whose child the user may read (personal-data roles, inside the area)."""
    return Case.objects.filter(personal_data_q(user, "commune", "village"))


def steps_for_user(user: User) -> QuerySet[CaseStep]:
    """Steps of the cases the user may read: the scope of ``cases_for_user`` joined through
    the step's case, not a ``case__in`` subquery, which made PostgreSQL gather every case of
    a province before looking at the few pending steps (/cases/due/ summary: 130 -> 70 ms)."""
    return CaseStep.objects.filter(personal_data_q(user, "case__commune", "case__village"))


def reports_for_user(user: User) -> QuerySet[Report]:
    return Report.objects.filter(personal_data_q(user, "commune", "village"))


def referrals_for_user(user: User) -> QuerySet[Referral]:
    """Referrals the user may read.

    An agency officer sees the referrals addressed to his agency at a unit inside his area:
    the referral's provider unit is his own unit or lies under it (a province education
    officer sees the referrals to education at the province, its districts and communes; a
    commune's officer never sees the province's).  Personal-data roles see the referrals of
    the cases they may read.  Everyone else sees none.
    """
    if not getattr(user, "is_authenticated", False):
        return Referral.objects.none()
    if user.role == Role.AGENCY_OFFICER and not user.is_superuser:
        if not user.agency:
            return Referral.objects.none()
        return Referral.objects.filter(unit_q(user, "provider_unit"), agency=user.agency)
    return Referral.objects.filter(personal_data_q(user, "case__commune", "case__village"))


def notifications_for_user(user: User) -> QuerySet[Notification]:
    """The user's notifications about cases or referrals the user may still read *now*.

    A notification names a child; an officer moved to another commune (or a referral
    re-addressed) must not keep reading the old commune's children from the inbox."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    visible = Q(case__in=cases_for_user(user).values("pk")) | Q(
        referral__isnull=False, referral__in=referrals_for_user(user).values("pk")
    )
    # A yearly report's decision names no child: about neither a case nor a referral.
    visible |= Q(case__isnull=True, referral__isnull=True, kind=NotificationKind.REPORT)
    return Notification.objects.filter(visible, user=user)


def unread_count(user: User) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return notifications_for_user(user).filter(read_at__isnull=True).count()


UNREAD_KEY = "clms:cases:unread:"


def unread_count_shared(user: User) -> int:
    """``unread_count``, kept in the shared cache for a wide scope's reader (the supervisor's
    home asks on every visit): a notification is made with a case's event or step, and read by
    a POST of its reader, both of which start a new generation of the scope's provinces
    (clms.indicators.invalidation, InvalidateOnWriteMiddleware); a report's notification,
    about no case, starts a global one."""
    roots = wide_scope_roots(user) if figure_cache.enabled() else None
    if roots is None:
        return unread_count(user)
    key = f"{UNREAD_KEY}{user.pk}:{figure_cache.generations_of(roots)}"
    found = cache.get(key)
    if isinstance(found, int):
        return found
    total = unread_count(user)
    cache.set(key, total, figure_cache.lifetime())
    return total


def covers(user: User, unit: Any) -> bool:
    prefixes = area_prefixes(user)
    return "/" in prefixes or any(unit.path.startswith(p) for p in prefixes)


def may_see_reporter(user: User, report: Report) -> bool:
    """Decree 56 Art. 24: who told us is confidential.  Seen by the commune officer handling
    the report (an officer of the commune, unless its cases are assigned to someone else),
    supervisors over the commune, administrators, and the collaborator who filed it; never
    by other collaborators, agency officers or the province viewer."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    if user.role == Role.SUPERVISOR:
        return covers(user, report.commune)
    if user.role == Role.COMMUNE_OFFICER:
        if not covers(user, report.commune):
            return False
        assignees = {c.assigned_to_id for c in report.cases.all()}
        return not assignees - {None} or user.pk in assignees
    if user.role == Role.COLLABORATOR:
        return report.filed_by_id == user.pk
    return False


def reporter_for_user(user: User, report: Report, *, request: Any = None) -> ReporterIdentity | None:
    """The reporter's identity if the user may see it; every such read is audited."""
    if not may_see_reporter(user, report):
        return None
    identity = ReporterIdentity.objects.filter(report=report).first()
    if identity is not None:
        audit_log(
            user=user, action=AuditAction.READ, object_type="cases.reporter", object_id=report.pk, request=request
        )
    return identity


# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------

PENDING = Q(done_at__isnull=True, cancelled_at__isnull=True)


def _child_minor(now: dt.datetime, prefix: str = "case__child__") -> Q:
    """Steps of a child who has turned 18 leave the "to do" lists that day; the case is flagged
    for closure instead (``Case.turned_18`` on the case list and page)."""
    return minors_q(timezone.localdate(now), prefix)


def case_list(user: User, *, state: str = "", due: str = "", mine: bool = False, commune: Any = None,
              village: Any = None, officer: User | None = None, q: str = "",
              now: dt.datetime | None = None) -> QuerySet[Case]:
    """Open emergencies first, then the nearest deadline, then the newest."""
    now = now or timezone.now()
    qs = (
        cases_for_user(user)
        .annotate(next_due=Min("steps__due_at", filter=Q(steps__done_at__isnull=True, steps__cancelled_at__isnull=True)))
        .select_related("child", "commune", "village", "assigned_to")
    )
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if mine:
        qs = qs.filter(assigned_to=user)
    if commune is not None:
        qs = qs.filter(commune=commune)
    if village is not None:
        qs = qs.filter(village=village)
    if officer is not None:
        qs = qs.filter(assigned_to=officer)
    # The register's search: every typed word in the folded name, diacritics and case ignored.
    for word in fold(q).split():
        qs = qs.filter(child__name_folded__contains=word)
    if due == "overdue":
        qs = qs.filter(next_due__lt=now)
    elif due == "soon":
        qs = qs.filter(next_due__gte=now, next_due__lt=due_soon_limit(now, current_calendar()))
    open_emergency = ExpressionWrapper(Q(emergency=True, state__in=OPEN_STATES), output_field=BooleanField())
    return qs.alias(open_emergency=open_emergency).order_by(
        F("open_emergency").desc(),
        F("next_due").asc(nulls_last=True),
        "-received_at",
    ).prefetch_related(Prefetch("steps", queryset=CaseStep.objects.filter(PENDING), to_attr="pending_steps"))


@dataclass
class DueRow:
    commune: str
    officer: str
    overdue: int
    soon: int


def due_summary(user: User, *, now: dt.datetime | None = None) -> list[DueRow]:
    """Pending steps overdue and due soon, per commune and officer, for the user's area."""
    now = now or timezone.now()
    limit = due_soon_limit(now, current_calendar())
    rows = (
        steps_for_user(user).filter(PENDING, _child_minor(now), case__state__in=OPEN_STATES, due_at__lt=limit)
        .values("case__commune__name", "case__assigned_to__full_name", "case__assigned_to__username")
        .annotate(overdue=Count("pk", filter=Q(due_at__lt=now)), soon=Count("pk", filter=Q(due_at__gte=now)))
        .order_by("case__commune__name", "case__assigned_to__full_name")
    )
    return [
        DueRow(
            commune=r["case__commune__name"],
            officer=r["case__assigned_to__full_name"] or r["case__assigned_to__username"] or "",
            overdue=r["overdue"],
            soon=r["soon"],
        )
        for r in rows
    ]


def due_steps(user: User, *, now: dt.datetime | None = None, only_mine: bool = False) -> QuerySet[CaseStep]:
    now = now or timezone.now()
    limit = due_soon_limit(now, current_calendar())
    qs = steps_for_user(user).filter(
        PENDING, _child_minor(now), case__state__in=OPEN_STATES, due_at__lt=limit
    ).select_related("case__child", "case__commune", "case__assigned_to")
    if only_mine:
        qs = qs.filter(case__assigned_to=user)
    return qs.order_by("due_at")


def step_counts(user: User, *, now: dt.datetime | None = None, only_mine: bool = False) -> dict[str, int]:
    now = now or timezone.now()
    limit = due_soon_limit(now, current_calendar())
    qs = steps_for_user(user).filter(PENDING, _child_minor(now), case__state__in=OPEN_STATES)
    if only_mine:
        qs = qs.filter(case__assigned_to=user)
    return qs.aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=limit)),
    )


def overdue_steps_by_commune(user: User, *, now: dt.datetime | None = None) -> dict[int, int]:
    """The overdue steps of ``step_counts`` per commune of the case (the commune the case was
    opened in, old or new): one grouped query, for the supervisor's list of communes that need
    attention."""
    now = now or timezone.now()
    rows = (
        steps_for_user(user).filter(PENDING, _child_minor(now), case__state__in=OPEN_STATES, due_at__lt=now)
        .values_list("case__commune_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {commune: n for commune, n in rows}


def step_badge(step: CaseStep, now: dt.datetime, soon_limit: dt.datetime) -> str:
    """CSS class of the badge of a step: ok (done in time), warn (due soon), bad (late)."""
    finished = step.done_at or step.cancelled_at
    if finished is not None:
        return "ok" if finished <= step.due_at else "bad"
    if step.due_at < now:
        return "bad"
    if step.due_at < soon_limit:
        return "warn"
    return ""


# ---------------------------------------------------------------------------
# The child's side
# ---------------------------------------------------------------------------


def latest_classification(child: Child) -> Classification | None:
    """The current vn-law classification of the child's latest observation."""
    return (
        Classification.objects.filter(observation__child=child, ruleset="vn-law", is_current=True)
        .select_related("observation")
        .order_by("-observation__observed_on", "-observation__pk")
        .first()
    )


ADULT_AGE = 18


def case_ground(child: Child, *, today: dt.date | None = None) -> str:
    """Why the register offers a case for the child, or "" when it does not: a minor (under 18,
    Labour Code Art. 143) classified in child labour, or assessed at high risk of it. Under 16
    in child labour is an exploited child in special circumstances (Children Law Art. 10(1)(k));
    16 and 17 in child labour and any minor at high risk need support as much."""
    today = today or timezone.localdate()
    age = age_in_years(child.dob, today)
    if age >= ADULT_AGE:
        return ""
    if Case.objects.filter(child=child, state__in=OPEN_STATES).exists():
        return ""
    latest = latest_classification(child)
    if latest is not None and latest.category in CHILD_LABOUR_CATEGORIES:
        return "exploited" if age < CHILD_AGE_LIMIT else "child_labour_16_17"
    if child.risk_level == RiskLevel.HIGH:
        return "high_risk"
    return ""


def child_needs_case(child: Child, *, today: dt.date | None = None) -> bool:
    return bool(case_ground(child, today=today))


def open_case_of(child: Child) -> Case | None:
    return Case.objects.filter(child=child, state__in=OPEN_STATES).first()


def policy_for(step: str, commune: Any) -> DuePolicy:
    """The most specific policy for a step covering the commune: its own row, then its
    district's or province's, then the default."""
    ancestors = [int(pk) for pk in commune.path.strip("/").split("/") if pk]
    rows = list(DuePolicy.objects.filter(Q(scope_unit__isnull=True) | Q(scope_unit_id__in=ancestors), step=step))
    if not rows:
        raise DuePolicy.DoesNotExist(f"no due policy for step {step}")
    depth = {pk: i for i, pk in enumerate(ancestors)}
    return max(rows, key=lambda p: -1 if p.scope_unit_id is None else depth.get(p.scope_unit_id, -1))


def policies_for_unit(unit: Any) -> list[tuple[DuePolicy, DuePolicy | None]]:
    """(effective policy, the default it overrides or None) for every step at a unit."""
    result = []
    defaults = {p.step: p for p in DuePolicy.objects.filter(scope_unit__isnull=True)}
    for code in StepCode.values:
        if code not in defaults:
            continue
        effective = policy_for(code, unit)
        result.append((effective, defaults[code] if effective.scope_unit_id else None))
    return result


# ---------------------------------------------------------------------------
# Indicators (definitions in the module docstring)
# ---------------------------------------------------------------------------


def missed_q(as_of: dt.datetime) -> Q:
    """On CaseStep annotated ``finished``: the step had missed its due time at ``as_of``."""
    return Q(created_at__lte=as_of, due_at__lt=as_of) & (Q(finished__isnull=True) | Q(finished__gt=F("due_at")))


def overdue_q(as_of: dt.datetime) -> Q:
    """On CaseStep annotated ``finished``: the step was pending and past due at ``as_of``."""
    return Q(created_at__lte=as_of, due_at__lt=as_of) & (Q(finished__isnull=True) | Q(finished__gt=as_of))


def with_finished(qs: QuerySet[CaseStep]) -> QuerySet[CaseStep]:
    return qs.annotate(finished=Coalesce("done_at", "cancelled_at"))


def open_at(qs: QuerySet[Case], as_of: dt.datetime) -> QuerySet[Case]:
    """The cases of ``qs`` open at ``as_of``: received by then, and not closed or not
    confirmed by then (no state change recorded yet means still reported, so open)."""
    last_state = (
        CaseEvent.objects.filter(case_id=OuterRef("pk"), at__lte=as_of)
        .exclude(to_state="")
        .order_by("-at", "-pk")
        .values("to_state")[:1]
    )
    return qs.filter(received_at__lte=as_of).alias(state_then=Subquery(last_state)).filter(
        Q(state_then__isnull=True) | Q(state_then__in=OPEN_STATES)
    )


def missed_steps(as_of: dt.datetime, *, statutory_only: bool = False) -> QuerySet[CaseStep]:
    qs = with_finished(CaseStep.objects.all()).filter(missed_q(as_of))
    return qs.filter(statutory=True) if statutory_only else qs


def with_timeliness(cases: QuerySet[Case], year: int, as_of: dt.datetime, *,
                    statutory_only: bool = False) -> QuerySet[Case]:
    """The TIMELY denominator: ``cases`` received in the local calendar year ``year`` (a report
    at 23:30 on 31 December belongs to that year), aliased ``late`` when one of their steps had
    missed its due time at ``as_of``.  The one definition: the indicators group it by commune."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))  # noqa: DTZ001 - made aware in the local zone
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))  # noqa: DTZ001
    late = missed_steps(as_of, statutory_only=statutory_only).filter(case_id=OuterRef("pk"))
    return cases.filter(received_at__gte=start, received_at__lt=end).alias(late=Exists(late))


def with_monitoring(cases: QuerySet[Case], as_of: dt.datetime) -> QuerySet[Case]:
    """The MONITORED denominator: ``cases`` open at ``as_of``, aliased ``overdue`` when one of
    their steps (statutory, local policy or follow-up) was pending and past due then."""
    overdue = with_finished(CaseStep.objects.filter(case_id=OuterRef("pk"))).filter(overdue_q(as_of))
    return open_at(cases, as_of).alias(overdue=Exists(overdue))


def timely_cases(unit_filter: Q, year: int, *, as_of: dt.datetime | None = None,
                 statutory_only: bool = False) -> tuple[QuerySet[Case], QuerySet[Case]]:
    """(numerator, denominator) of TIMELY; ``unit_filter`` is a Q on Case, for example
    ``unit_q(unit_user, "commune")`` or ``Q(commune__path__startswith=unit.path)``."""
    denominator = with_timeliness(Case.objects.filter(unit_filter), year, as_of or timezone.now(),
                                  statutory_only=statutory_only)
    return denominator.filter(Q(late=False)), denominator


def monitored_cases(unit_filter: Q, *, as_of: dt.datetime | None = None) -> tuple[QuerySet[Case], QuerySet[Case]]:
    """(numerator, denominator) of MONITORED at ``as_of`` (default now)."""
    denominator = with_monitoring(Case.objects.filter(unit_filter), as_of or timezone.now())
    return denominator.filter(Q(overdue=False)), denominator
