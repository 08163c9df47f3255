"""Text as people paste it: control characters out, Vietnamese composed, tricks in names refused.

Text pasted from Word or a chat app brings bell, vertical-tab or escape characters (they break
the DOCX writer and some XML readers), NUL bytes (PostgreSQL refuses them) and invisible
characters.  A right-to-left override or a zero-width space inside a child's name makes two
records look identical on screen while the duplicate finder sees different strings, so names
refuse them instead of keeping them silently.  Pure Python: used by forms, importers and writers.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

# C0 controls except tab, newline and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Tab, newline and carriage return have no place in a one-line field.
_LINE_BREAKS = re.compile("[\t\r\n]+")
# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the directional marks.
BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Zero-width space, non-joiner, joiner, word joiner, byte-order mark, soft hyphen.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_INVISIBLE = re.compile("[" + "".join(sorted(BIDI | ZERO_WIDTH)) + "]")
# What XML 1.0 cannot carry at all (the DOCX and XLSX writers): controls and the non-characters.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def normalise(value: str, *, multiline: bool = False) -> str:
    """Composed Unicode (NFC), control characters removed; one-line text keeps one line."""
    value = unicodedata.normalize("NFC", value)
    if not multiline:
        value = _LINE_BREAKS.sub(" ", value)
    return _CONTROL.sub("", value)


def has_invisible(value: str) -> bool:
    """True when ``value`` holds a bidirectional control or a zero-width character."""
    return _INVISIBLE.search(value) is not None


def strip_invisible(value: str) -> str:
    return _INVISIBLE.sub("", value)


def xml_safe(value: str) -> str:
    """``value`` without the characters an XML document cannot hold (stored text from before
    the forms removed them, or from an import)."""
    return _NOT_XML.sub("", value)


def xml_safe_deep(value: Any) -> Any:
    """``value`` with :func:`xml_safe` applied to every string inside it (dataclasses, lists,
    tuples, dicts), for document writers that take a whole content tree."""
    if isinstance(value, str):
        return xml_safe(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: xml_safe_deep(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, list):
        return [xml_safe_deep(v) for v in value]
    if isinstance(value, tuple):
        items = [xml_safe_deep(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {k: xml_safe_deep(v) for k, v in value.items()}
    return value
