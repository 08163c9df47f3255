"""Display of indicator values, and the data of the home panels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clms.indicators import selectors
from clms.indicators.base import (
    ATTENDANCE_COUNT,
    DENOMINATOR_DERIVED,
    ESTIMATE,
    MISSING_DENOMINATOR,
    OVER_100,
    STATUTORY_AND_POLICY,
    IndicatorValue,
    Target,
    rate_places,
    rounded,
)
from clms.indicators.overview import ROW_STATUS
from clms.indicators.registry import INDICATORS

if TYPE_CHECKING:
    from clms.accounts.models import User

register = template.Library()

STATUS = {
    "met": ("ok", gettext_lazy("Met")),
    "on_track": ("warn", gettext_lazy("On track")),
    "off_track": ("bad", gettext_lazy("Off track")),
    "no_data": ("", gettext_lazy("No data")),
}
FLAG_LABELS = {
    ESTIMATE: gettext_lazy("estimate"),
    MISSING_DENOMINATOR: gettext_lazy("no population figure"),
    DENOMINATOR_DERIVED: gettext_lazy("population derived from the register"),
    ATTENDANCE_COUNT: gettext_lazy("counts attendances, not people"),
    OVER_100: gettext_lazy("over 100%"),
    STATUTORY_AND_POLICY: gettext_lazy("statutory and local-policy due times"),
}
# Flags worth repeating in every cell; the due-time note is said once under the table.
CELL_FLAGS = (ESTIMATE, MISSING_DENOMINATOR, DENOMINATOR_DERIVED, ATTENDANCE_COUNT, OVER_100)


@register.filter
def status_class(value: IndicatorValue) -> str:
    return STATUS[value.status][0]


@register.filter
def status_label(value: IndicatorValue | str) -> str:
    status = value if isinstance(value, str) else value.status
    if status == "no_data" and isinstance(value, IndicatorValue) and value.value is not None:
        # There is a value; what is missing is the plan's target for the year (or, for a
        # "decrease" target, the baseline year's value to compare with): say that, not "no data".
        if value.target is None:
            return _("No target set for %(year)s") % {"year": value.year}
        return _("No baseline to compare with")
    return str(STATUS[status][1])


@register.filter
def row_status_class(status: str) -> str:
    return ROW_STATUS[status][0]


@register.filter
def row_status_label(status: str) -> str:
    return str(ROW_STATUS[status][1])


@register.filter
def target_text(target: Target | None) -> str:
    if target is None:
        return "—"
    if target.value is None:
        return _("decrease")
    return f"{target.comparator.replace('<=', '≤').replace('>=', '≥')} {number_format(round(float(target.value), 1), 1)}%"


@register.filter
def flag_labels(value: IndicatorValue) -> list[str]:
    return [str(FLAG_LABELS[f]) for f in CELL_FLAGS if f in value.flags]


@register.filter
def percent(value: float | None) -> str:
    # number_format cuts digits off; round first so that 0.67 shows as 0,7.
    return "—" if value is None else f"{number_format(rounded(value, 1), 1)}%"


@register.filter
def rate(value: IndicatorValue) -> str:
    """The value of an indicator with as many decimals as its badge needs (``rate_places``)."""
    if value.value is None:
        return "—"
    places = rate_places(value.value, value.target)
    return f"{number_format(rounded(value.value, places), places)}%"


@register.filter
def indicator_label(code: str) -> str:
    return str(INDICATORS[code].label)


@register.filter
def indicator_short_label(code: str) -> str:
    return str(INDICATORS[code].short_label)


def _area(user: User) -> Any:
    return selectors.default_scope(user)


@register.simple_tag
def commune_summary(user: User) -> dict[str, Any]:
    """The officer's commune this year: each indicator, and what to do next."""
    commune = _area(user)
    if commune is None:
        return {}
    today = timezone.localdate()
    table = selectors.area_table(commune, today.year)
    values = [table.total(c) for c in table.codes]
    return {"unit": commune, "year": today.year, "values": values, "next": selectors.next_steps(user, values, today=today)}


@register.simple_tag
def area_summary(user: User) -> dict[str, Any]:
    """Per indicator this year: how many rows are met, on track, off track (supervisors), and
    the area's total (everyone)."""
    scope = _area(user)
    if scope is None:
        return {}
    year = timezone.localdate().year
    table = selectors.area_table(scope, year)
    lines = []
    for code in table.codes:
        cells = [table.cell(r.pk, code) for r in table.rows]
        lines.append({
            "code": code,
            "label": INDICATORS[code].short_label,
            "total": table.total(code),
            "met": sum(c.status == "met" for c in cells),
            "on_track": sum(c.status == "on_track" for c in cells),
            "off_track": sum(c.status == "off_track" for c in cells),
        })
    return {"unit": scope, "year": year, "lines": lines, "rows": len(table.rows)}
