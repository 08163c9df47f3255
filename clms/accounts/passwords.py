"""Password rules beyond Django's: the passwords Vietnamese users pick first."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clms.rules.text import fold

if TYPE_CHECKING:
    from clms.accounts.models import User

_DATA = Path(__file__).resolve().parent / "data" / "common_passwords_vi.txt"
# Digits, punctuation and spaces that people put around a word to satisfy a length rule.
_PADDING = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")


@cache
def common_stems() -> frozenset[str]:
    lines = _DATA.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _folded(password: str) -> str:
    return re.sub(r"\s+", "", fold(password))


def is_common(password: str) -> bool:
    folded = _folded(password)
    if folded in common_stems():
        return True
    match = _PADDING.match(folded)
    core = match.group(1) if match else folded
    # "matkhau123456", "@anhyeuem2024", "123vietnam"; also a stem written twice ("yeuemyeuem").
    if core in common_stems():
        return True
    half = len(core) // 2
    return bool(half) and core[:half] == core[half:] and core[:half] in common_stems()


class VietnameseCommonPasswordValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        if is_common(password):
            raise ValidationError(
                _("This password is one that many people use (a common word with a few digits). Choose another."),
                code="password_too_common_vi",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be a common word or name with digits added, such as “matkhau123456”.")
