"""Text helpers shared by the catalogue search and the register's name search."""

from __future__ import annotations

import unicodedata

__all__ = ["fold"]

# NFD leaves "đ" whole (it is a letter of its own, not d + a mark), so it is mapped by hand.
_DD = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case ``text``, drop Vietnamese diacritics and squeeze whitespace.

    ``fold("Làm NÓN lá")`` is ``"lam non la"``; ``fold("Đông Hồ")`` is ``"dong ho"``.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_DD))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())
