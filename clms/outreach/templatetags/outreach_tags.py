"""Data for the commune officer's home panel."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import template

from clms.outreach import selectors

if TYPE_CHECKING:
    from clms.accounts.models import User

register = template.Library()


@register.simple_tag
def upcoming_peak_periods(days: int = 120) -> list[selectors.PeakOccurrence]:
    return selectors.upcoming_peaks(dt.date.today(), days=days)  # noqa: DTZ011 - local calendar date


@register.simple_tag
def reach_this_year(user: User) -> list[selectors.ReachRow]:
    area = getattr(user, "area", None)
    if area is None:
        return []
    return selectors.reach_summary(area, dt.date.today().year)  # noqa: DTZ011 - local calendar year
