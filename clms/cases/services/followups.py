"""Follow-up visits during monitoring and what they let the case do."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clms.accounts.policy import Perm
from clms.cases.calendar import current_calendar, due_time
from clms.cases.models import (
    Case,
    EventKind,
    FollowUp,
    State,
    StepCode,
)
from clms.cases.selectors import (
    CHILD_LABOUR_CATEGORIES,
    policy_for,
)
from clms.cases.services.common import (
    InvalidTransition,
    check_case_writer,
    event_add,
    moment_of,
    step_done,
    step_open,
)
from clms.core.templatetags.vn_format import vn_number
from clms.people.models import Activity, Classification, SchoolStatus
from clms.people.services import visit_record

if TYPE_CHECKING:
    from clms.accounts.models import User


def _observation_category(observation: Any) -> str:
    if observation is None:
        return ""
    return (
        Classification.objects.filter(observation=observation, ruleset="vn-law", is_current=True)
        .values_list("category", flat=True)
        .first()
        or ""
    )


@transaction.atomic
def follow_up_record(*, user: User, case: Case, visited_on: dt.date, still_working: bool, school_status: str,
                     activity: str = "", work: str = "", note: str = "",
                     observation_fields: dict[str, Any] | None = None) -> FollowUp:
    """A follow-up visit: what the child does now is recorded in the register and classified
    again under the law; the visit keeps the follow-up schedule."""
    check_case_writer(user, case, Perm.CASE_FOLLOW_UP)
    if case.state not in (State.INTERVENING, State.MONITORING):
        raise InvalidTransition(_("Follow-up visits are recorded while the plan is carried out or monitored."))
    errors: dict[str, list[str]] = {}
    if school_status not in SchoolStatus.values:
        errors["school_status"] = [_("Choose the school status.")]
    if visited_on < timezone.localtime(case.received_at).date():
        errors["visited_on"] = [_("The visit is before the report was received.")]
    if still_working and activity in ("", Activity.NONE):
        errors["activity"] = [_("Say what work the child does.")]
    if errors:
        raise ValidationError(errors)
    fields = dict(observation_fields or {})
    fields["activity"] = activity if still_working else Activity.NONE
    if work.strip():
        fields.setdefault("job_description", work.strip()[:255])
    visit = visit_record(
        user=user, child=case.child, visited_on=visited_on, still_working=still_working,
        school_status=school_status, note=note, observation_fields=fields,
    )
    observation = visit.observation
    follow_up = FollowUp(
        case=case, visited_on=visited_on, still_working=still_working, work=work.strip(),
        school_status=school_status, category=_observation_category(observation), observation=observation,
        visit=visit, note=note.strip(), recorded_by=user,
    )
    follow_up.full_clean()
    follow_up.save()
    now = timezone.now()
    at = moment_of(visited_on, now)
    if step_done(case, StepCode.FOLLOW_UP, at) and case.state == State.MONITORING:
        step_open(case, step=StepCode.FOLLOW_UP, start=at)
    event_add(case, user=user, kind=EventKind.FOLLOW_UP, now=now, note=note)
    return follow_up


def follow_up_passes(follow_up: FollowUp) -> bool:
    """No child labour found and the child in school or training."""
    in_school = follow_up.school_status in (SchoolStatus.ATTENDING, SchoolStatus.VOCATIONAL)
    return in_school and follow_up.category not in CHILD_LABOUR_CATEGORIES


def follow_up_interval_met(case: Case, earlier: dt.date, later: dt.date) -> bool:
    """Two visits count as two only when they are the local follow-up interval apart (the
    follow-up due-time policy of the commune, 30 days by default): two visits minutes apart
    on the same day show nothing about whether the child stays out of work."""
    policy = policy_for(StepCode.FOLLOW_UP, case.commune)
    start = timezone.make_aware(dt.datetime.combine(earlier, dt.time.min))
    deadline = due_time(start=start, amount=policy.amount, unit=policy.unit, calendar=current_calendar())
    earliest = timezone.localtime(deadline - dt.timedelta(microseconds=1)).date()
    return later >= earliest


def follow_up_interval_text(case: Case) -> str:
    policy = policy_for(StepCode.FOLLOW_UP, case.commune)
    return f"{vn_number(policy.amount)} {policy.get_unit_display()}"


def may_close_as_resolved(case: Case) -> bool:
    """Closure as "no longer in child labour" needs the last two follow-up visits, one after
    the other and at least the follow-up interval apart, to find no child labour and the child
    in school or vocational training."""
    last_two = list(case.follow_ups.order_by("-visited_on", "-pk")[:2])
    return (
        len(last_two) == 2
        and all(follow_up_passes(f) for f in last_two)
        and follow_up_interval_met(case, last_two[1].visited_on, last_two[0].visited_on)
    )
