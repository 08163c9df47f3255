"""The report's wording (``data/report_form.toml``) and Vietnamese number formatting.

Documents are Vietnamese whatever the interface language, so numbers are formatted here
with a decimal comma and a thousands dot rather than through the active locale.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from clms.core.templatetags.vn_format import vn_number

FORM_FILE = Path(__file__).resolve().parent / "data" / "report_form.toml"

_SYMBOLS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "=": "="}
# Official unit names start with their type; the place line and the body use the rest.
_UNIT_TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Phường", "Huyện", "Tỉnh", "Quận", "Xã", "Đặc khu")


@cache
def form() -> dict[str, Any]:
    with FORM_FILE.open("rb") as handle:
        return tomllib.load(handle)


def issuer_block(level: str, on: dt.date) -> dict[str, Any]:
    """The header, recipients and signature wording for a unit of ``level`` on ``on``."""
    for block in form()["issuers"]:
        until = block.get("until")
        if block["level"] == level and (until is None or on <= dt.date.fromisoformat(str(until))):
            return dict(block)
    raise LookupError(f"report_form.toml has no issuer block for level {level!r} on {on}")


def indicator_text(code: str) -> dict[str, str]:
    return dict(form()["indicators"].get(code, {}))


def known_codes() -> list[str]:
    return list(form()["indicators"])


def lower_first(name: str) -> str:
    """"Xã Tân Ninh" -> "xã Tân Ninh", as the name reads inside a sentence."""
    return name[:1].lower() + name[1:] if name else name


def place_name(name: str) -> str:
    """"Xã Tân Ninh" -> "Tân Ninh", the place on the date line."""
    for prefix in _UNIT_TYPES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def vn_int(n: int | None) -> str:
    # The project's one formatter; documents write a missing figure as "-", not "—".
    return "-" if n is None else vn_number(int(n))


def vn_decimal(x: float | Decimal | None, places: int = 2) -> str:
    """0.4213 -> "0,42"; 100.0 -> "100"; 1234.5 -> "1.234,5" (trailing zeros dropped)."""
    if x is None:
        return "-"
    quantum = Decimal(1).scaleb(-places)
    d = Decimal(str(x)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if d < 0 else ""
    whole, _, frac = f"{abs(d):f}".partition(".")
    frac = frac.rstrip("0")
    text = vn_int(int(whole))
    return f"{sign}{text},{frac}" if frac else f"{sign}{text}"


def vn_percent(x: float | Decimal | None) -> str:
    # Indicator values arrive rounded to the decimals their status needs
    # (clms.indicators.base.rate_places): show them all, trailing zeros dropped.
    return "-" if x is None else f"{vn_decimal(x, 4)}%"


def describe_target(target: dict[str, Any] | None) -> str:
    """A target as the plan writes it: "≤ 0,5%", "> 90%", or "giảm"."""
    if not target:
        return ""
    if target.get("comparator") == "decrease":
        return str(form()["status"]["decrease"])
    symbol = _SYMBOLS.get(str(target.get("comparator")), str(target.get("comparator")))
    return f"{symbol} {vn_percent(target.get('value'))}"


def vn_date_line(place: str, day: dt.date) -> str:
    """"Tân Ninh, ngày 05 tháng 11 năm 2026": day and month zero-padded (Decree 30/2020)."""
    return str(form()["document"]["place_date"]).format(
        place=place, day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year
    )


def number_line(number: int | None, symbol: str) -> str:
    doc = form()["document"]
    shown = f"{number:02d}" if number else str(doc["empty_number"])
    return str(doc["number_label"]).format(number=shown, symbol=symbol)
