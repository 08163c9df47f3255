"""Vietnamese names drawn with realistic frequencies.

Family-name shares are the commonly cited estimates for Vietnam (Nguyễn about 38 %, Trần 11 %,
Lê 9.5 %, Phạm 7 %, Hoàng/Huỳnh 5 % together, Phan 4.5 %, Vũ/Võ 3.9 %, Đặng 2.1 %, Bùi 2 %,
Đỗ 1.4 %, Hồ 1.3 %, Ngô 1.3 %, Dương 1 %, Lý 0.5 %); the rest share what is left.  Given
names follow a Zipf-like curve, so a few (An, Anh, Linh, Huy…) are far more common than the
others, which is what makes duplicate detection hard in real registers.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence

SURNAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.0), ("Huỳnh", 2.0),
    ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8), ("Trịnh", 0.7), ("Trương", 0.6),
    ("Lương", 0.5), ("Mai", 0.4), ("Cao", 0.4), ("Hà", 0.5), ("Đào", 0.4), ("Lâm", 0.3), ("Tạ", 0.2),
    ("Lò", 0.2), ("Quách", 0.2), ("Tô", 0.2), ("Lại", 0.2), ("Văn", 0.2), ("Kiều", 0.1), ("Thái", 0.2),
    ("Chu", 0.2), ("Lục", 0.1), ("Triệu", 0.2), ("Khổng", 0.1), ("Hứa", 0.1), ("Nông", 0.2),
]
MIDDLE = {
    "M": [("Văn", 40), ("Đức", 8), ("Minh", 8), ("Quang", 5), ("Hữu", 5), ("Công", 4), ("Thanh", 4),
          ("Xuân", 3), ("Ngọc", 3), ("Tuấn", 2), ("Đình", 4), ("Gia", 4), ("Trọng", 3), ("Bá", 2), ("Anh", 2),
          ("Hoàng", 2), ("Nhật", 2), ("Bảo", 2)],
    "F": [("Thị", 48), ("Ngọc", 7), ("Thu", 5), ("Thanh", 5), ("Minh", 4), ("Phương", 4), ("Hồng", 4),
          ("Bảo", 3), ("Khánh", 3), ("Mai", 3), ("Kim", 3), ("Diệu", 2), ("Hải", 2), ("Lan", 2), ("Quỳnh", 3),
          ("Thảo", 2), ("Hà", 2)],
}
GIVEN = {
    "M": ("An Anh Bình Cường Dũng Duy Đạt Đức Giang Hải Hiếu Hoàng Hùng Huy Khang Khánh Khoa Kiên Lâm Long "
          "Mạnh Minh Nam Nghĩa Phát Phong Phúc Quân Quang Sơn Tài Tâm Thắng Thành Tiến Toàn Trung Tú Tuấn "
          "Việt Vinh Vũ Hưng Lộc Bảo Thịnh Hậu Tùng Đông Hào Hiệp Lực Nhân Tín Trí Hòa Thái Tuệ Kiệt Khôi "
          "Đăng Nguyên Phú Sang Thiện Trường Vượng").split(),
    "F": ("Anh Linh Ngọc Hương Trang Hà Thảo Mai Lan Hoa Huyền Nhung Phương Thu Thủy Vy Yến Châu Chi Diệp "
          "Dung Duyên Giang Hằng Hạnh Hiền Hồng Huệ Loan Ly My Nga Ngân Nhi Oanh Quỳnh Tâm Tuyết Uyên Vân "
          "Hậu Lệ Liên Nhàn Thơ Thùy Xuân Hoài Khuê Ngà Thư Tiên Trinh An Bích Diễm Hân Kiều Mỹ Nhiên").split(),
}
# Common ethnic-minority family names of the north-central uplands (Mường, Thái, Thổ) in Thanh Hóa.
MINORITY_SURNAMES: list[tuple[str, float]] = [
    ("Hà", 20), ("Phạm", 15), ("Lò", 10), ("Lương", 10), ("Vi", 6), ("Cầm", 6), ("Bùi", 10), ("Quách", 8),
    ("Đinh", 10), ("Lục", 5),
]


class Picker:
    """Weighted choice with a precomputed cumulative table (much faster than rng.choices per call)."""

    def __init__(self, items: Sequence[tuple[str, float]]) -> None:
        self.values = [v for v, _w in items]
        self.cum = list(itertools.accumulate(w for _v, w in items))

    def __call__(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


def _zipf(names: list[str]) -> list[tuple[str, float]]:
    return [(n, 1 / (i + 1) ** 0.8) for i, n in enumerate(names)]


SURNAME = Picker(SURNAMES)
MINORITY_SURNAME = Picker(MINORITY_SURNAMES)
MIDDLE_NAME = {sex: Picker(items) for sex, items in MIDDLE.items()}
GIVEN_NAME = {sex: Picker(_zipf(items)) for sex, items in GIVEN.items()}


def person_name(rng: random.Random, surname: str, sex: str, avoid: set[str] | None = None) -> str:
    """A full name in the family of ``surname``; ``avoid`` holds given names siblings already have."""
    for _attempt in range(20):
        given = GIVEN_NAME[sex](rng)
        if not avoid or given not in avoid:
            break
    if avoid is not None:
        avoid.add(given)
    return f"{surname} {MIDDLE_NAME[sex](rng)} {given}"


LETTERS = "abcdeghiklmnopqrstuvxy"
DIACRITIC_FREE = str.maketrans(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ",
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd"
    "AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYD",
)


def strip_diacritics(name: str) -> str:
    """How a name typed on a keyboard without Vietnamese input looks ("Nguyen Van An")."""
    return name.translate(DIACRITIC_FREE)


def typo(rng: random.Random, name: str) -> str:
    """One keyboard slip in one word: a letter changed, dropped, doubled or two letters swapped."""
    tokens = name.split()
    i = rng.randrange(len(tokens))
    word = tokens[i]
    pos = rng.randrange(len(word))
    kind = rng.choice(("sub", "del", "ins", "swap"))
    if kind == "sub":
        word = word[:pos] + rng.choice(LETTERS) + word[pos + 1 :]
    elif kind == "del" and len(word) > 2:
        word = word[:pos] + word[pos + 1 :]
    elif kind == "swap" and pos < len(word) - 1:
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    else:
        word = word[:pos] + rng.choice(LETTERS) + word[pos:]
    tokens[i] = word
    return " ".join(tokens)
