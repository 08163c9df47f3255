"""Vietnamese tax codes (mã số thuế): 10 digits, or 10 digits + "-" + 3 digits for a branch.

The 10th digit checks the first nine: weights 31, 29, 23, 19, 17, 13, 7, 5, 3; the check
digit is 10 - (sum mod 11), and a sum divisible by 11 gives 10, so no code can carry it.
Cross-checked against python-stdnum's ``stdnum/vn/mst.py``, whose doctests accept
0100233488 and 0314409058-002.
"""

from __future__ import annotations

import re

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_FORM = re.compile(r"^(\d{10})(?:-(\d{3}))?$")


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when the weighted sum makes it 10."""
    total = sum(weight * int(digit) for weight, digit in zip(WEIGHTS, first_nine, strict=True))
    digit = 10 - total % 11
    return None if digit == 10 else digit


def normalise(value: str) -> str:
    """Spaces and dots are typing habits, not part of the code; a bare 13-digit branch gets its dash."""
    compact = re.sub(r"[\s.]", "", value)
    if len(compact) == 13 and compact.isdigit():
        compact = f"{compact[:10]}-{compact[10:]}"
    return compact


def problem(value: str) -> str | None:
    """Why ``value`` (already normalised) is not a tax code, as a short key; None when it is one."""
    match = _FORM.match(value)
    if match is None:
        return "format"
    main, branch = match.groups()
    if main[2:9] == "0000000" or branch == "000":
        return "format"
    expected = check_digit(main[:9])
    if expected is None or int(main[9]) != expected:
        return "check_digit"
    return None
