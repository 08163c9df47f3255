"""Calendar arithmetic on plain integers: cheap enough to run once per classification."""

from __future__ import annotations

from datetime import date

__all__ = ["age_in_months", "age_in_years", "health_check_overdue"]


def age_in_years(dob: date, as_of: date) -> int:
    """Completed years ("đủ X tuổi") at ``as_of``.

    A child born on 29 February has not reached the birthday on 28 February of a common
    year and has reached it on 1 March: the day-of-year comparison below gives exactly that,
    which is the reading CLMS takes (spec §2.1 policy choice).
    """
    return as_of.year - dob.year - ((as_of.month, as_of.day) < (dob.month, dob.day))


def age_in_months(dob: date, as_of: date) -> int:
    """Completed months, as Appendix III item 68 counts age (180, 192, 216 months).

    Same day-of-month convention as ``age_in_years``, so ``age_in_months // 12`` always
    equals ``age_in_years`` and the item 68 bands start on the birthdays.
    """
    return (as_of.year - dob.year) * 12 + (as_of.month - dob.month) - (as_of.day < dob.day)


def health_check_overdue(last: date, as_of: date, months: int = 6) -> bool:
    """True when more than ``months`` calendar months have passed since ``last``.

    A check on 31 August is still current on 28 February (the month has no 31st) and
    overdue on 1 March.
    """
    elapsed = (as_of.year - last.year) * 12 + (as_of.month - last.month)
    return elapsed > months or (elapsed == months and as_of.day > last.day)
