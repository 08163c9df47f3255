"""Numbers and relative times as Vietnamese readers write them: "48.265", "38,5", "2 tháng trước".

Not USE_THOUSAND_SEPARATOR: that would also group ids in links ("/cases/1.234/")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def vn_number(value: Any, decimals: int | None = None) -> str:
    """48265 → "48.265"; 38.5 → "38,5"; None → "—". Decimals kept as given unless fixed."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (float, Decimal)) or decimals is not None:
        number = float(value)
        text = f"{number:,.{decimals if decimals is not None else 1}f}"
        if decimals is None and "." in text:
            text = text.rstrip("0").rstrip(".")
    elif isinstance(value, int):
        text = f"{value:,}"
    else:
        try:
            return vn_number(int(str(value)))
        except ValueError:
            return str(value)
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter(name="vn_number")
def vn_number_filter(value: Any, decimals: Any = None) -> str:
    return vn_number(value, None if decimals in (None, "") else int(decimals))


def ago(day: dt.date | dt.datetime | None, today: dt.date | None = None) -> str:
    """How long ago, in Vietnamese words: "hôm nay", "3 ngày trước", "2 tháng trước", "1 năm trước"."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    today = today or timezone.localdate()
    days = (today - day).days
    if days < 0:
        return ""
    if days == 0:
        return _("today")
    if days < 14:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    if days < 60:
        weeks = days // 7
        return ngettext("%(count)d week ago", "%(count)d weeks ago", weeks) % {"count": weeks}
    if days < 365:
        months = days // 30
        return ngettext("%(count)d month ago", "%(count)d months ago", months) % {"count": months}
    years = days // 365
    return ngettext("%(count)d year ago", "%(count)d years ago", years) % {"count": years}


@register.filter(name="ago")
def ago_filter(day: Any, today: Any = None) -> str:
    return ago(day, today)
