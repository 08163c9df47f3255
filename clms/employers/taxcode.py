"""Vietnamese tax codes (mã số thuế): 10 digits, or 10 digits + "-" + 3 digits for a branch;
and, since 1 July 2025, the 12-digit personal identification number (số định danh cá nhân) that
individuals and household businesses use as their tax code (Law on Tax Administration 2019
Art. 35 as amended, Circular 86/2024/TT-BTC Art. 5).  A personal number carries no check digit;
its first three digits are the code of the province where the birth was registered (Circular
59/2021/TT-BCA Art. 7), one of the 63 provinces' codes of the 2004-2025 list.

The 10th digit checks the first nine: weights 31, 29, 23, 19, 17, 13, 7, 5, 3; the check
digit is 10 - (sum mod 11), and a sum divisible by 11 gives 10, so no code can carry it.
Cross-checked against python-stdnum's ``stdnum/vn/mst.py``, whose doctests accept
0100233488 and 0314409058-002.
"""

from __future__ import annotations

import re

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_FORM = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
# Province codes of the personal identification number (Circular 59/2021/TT-BCA, appendix).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 035"
    " 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 070 072"
    " 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when the weighted sum makes it 10."""
    total = sum(weight * int(digit) for weight, digit in zip(WEIGHTS, first_nine, strict=True))
    digit = 10 - total % 11
    return None if digit == 10 else digit


def normalise(value: str) -> str:
    """Spaces and dots are typing habits, not part of the code; a bare 13-digit branch gets its dash."""
    compact = re.sub(r"[\s.]", "", value)
    # 13 bare digits are an enterprise branch; 12 are a personal number and stay as they are.
    if len(compact) == 13 and compact.isdigit():
        compact = f"{compact[:10]}-{compact[10:]}"
    return compact


def problem(value: str) -> str | None:
    """Why ``value`` (already normalised) is not a tax code, as a short key; None when it is one."""
    if len(value) == 12 and value.isdigit():
        return None if value[:3] in PROVINCE_CODES else "personal_province"
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
