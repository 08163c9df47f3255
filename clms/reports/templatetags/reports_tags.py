"""Home-page panels: the year's report of one's own unit, and the reports one receives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template

from clms.reports import clock, selectors

if TYPE_CHECKING:
    from clms.accounts.models import User

register = template.Library()


@register.simple_tag
def my_report(user: User) -> dict[str, Any]:
    """The current year's report of the user's own unit: its submission (or None) and due date."""
    year = clock.today().year
    units = selectors.startable_units(user)
    if not units:
        return {}
    unit = units[0]
    submission = selectors.submissions_for_user(user).filter(unit=unit, period__year=year).first()
    receiver = selectors.receiver_of(unit, year)
    due = submission.period.due_on if submission else selectors.default_due(selectors.reporting_plan(unit, year), year)
    return {"year": year, "unit": unit, "submission": submission, "receiver": receiver, "due_on": due, "days_left": (due - clock.today()).days}


@register.simple_tag
def reports_received(user: User) -> list[dict[str, Any]]:
    """The current and last year's periods the user receives, with how many reports are in."""
    year = clock.today().year
    periods = selectors.periods_for_user(user).filter(receiver_id=user.area_id, year__gte=year - 1).order_by("-year")
    out = []
    for period in periods:
        rows = selectors.period_overview(period)
        out.append(
            {
                "period": period,
                "expected": len(rows),
                "accepted": sum(1 for r in rows if r.status == "accepted"),
                "waiting": sum(1 for r in rows if r.status == "submitted"),
                "late": sum(1 for r in rows if r.is_late),
            }
        )
    return out
