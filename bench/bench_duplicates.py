"""Precision and recall of the register's duplicate detection on generated data.

    CLMS_TESTING=1 python bench/bench_duplicates.py                 # district: 5,000 children
    CLMS_TESTING=1 python bench/bench_duplicates.py --province      # and province: 60,000

A self-contained generator draws Vietnamese names with realistic frequencies (Nguyễn about
38 %, then Trần, Lê, Phạm, Hoàng, Huỳnh, Phan, Vũ, Võ, Đặng, Bùi, Đỗ, Hồ, Ngô, Dương, Lý…;
Văn/Thị and the other middle names; common given names), dates of birth for ages 5-17,
households of siblings in villages of communes (8 communes for a district since the 2025
reform, 166 for a province).  A share of children is then reported a second time with the
mistakes real reports carry: no diacritics, a typo, day and month swapped, a date a few
days off, words in another order, no household.  ``pairs_among`` (the batch report's
matcher, blocked by commune and date of birth) must find the injected pairs and nothing
else; every other pair it returns counts as a false positive, even when two different
children really share a name and a birthday.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clms.settings")
os.environ.setdefault("CLMS_TESTING", "1")

import django  # noqa: E402

django.setup()

from clms.demo.generator.names import typo  # noqa: E402
from clms.people.duplicates import Person, pairs_among  # noqa: E402
from clms.rules import fold  # noqa: E402

# Family names and their approximate share of the population (per cent).
SURNAMES = [
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 3.1), ("Huỳnh", 2.0),
    ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.8), ("Lương", 0.5), ("Trịnh", 0.6),
    ("Mai", 0.4), ("Cao", 0.4), ("Lâm", 0.3), ("Hà", 0.5), ("Đào", 0.4), ("Trương", 0.6), ("Tạ", 0.2),
    ("Lò", 0.2), ("Lục", 0.1), ("Quách", 0.1), ("Tô", 0.2),
]
MIDDLE_M = [("Văn", 45), ("Đức", 8), ("Minh", 8), ("Quang", 5), ("Hữu", 5), ("Công", 4), ("Thanh", 4),
            ("Xuân", 3), ("Ngọc", 3), ("Tuấn", 2), ("Đình", 4), ("Gia", 3), ("Trọng", 3), ("Bá", 2), ("Anh", 2)]
MIDDLE_F = [("Thị", 50), ("Ngọc", 7), ("Thu", 5), ("Thanh", 5), ("Minh", 4), ("Phương", 4), ("Hồng", 4),
            ("Bảo", 3), ("Khánh", 3), ("Mai", 3), ("Kim", 3), ("Diệu", 2), ("Hải", 2), ("Lan", 2), ("Quỳnh", 3)]
GIVEN_M = ("An Anh Bình Cường Dũng Duy Đạt Đức Giang Hải Hiếu Hoàng Hùng Huy Khang Khánh Khoa Kiên Lâm Long "
           "Mạnh Minh Nam Nghĩa Phát Phong Phúc Quân Quang Sơn Tài Tâm Thắng Thành Tiến Toàn Trung Tú Tuấn "
           "Việt Vinh Vũ Hưng Lộc Bảo Thịnh Hậu Tùng Đông Hào Hiệp Lực Nhân Tín Trí Hoà Thái Tuệ").split()
GIVEN_F = ("An Anh Châu Chi Diệp Dung Duyên Giang Hà Hằng Hạnh Hiền Hoa Hồng Huệ Hương Huyền Lan Linh Loan "
           "Ly Mai My Nga Ngân Ngọc Nhung Nhi Oanh Phương Quỳnh Tâm Thảo Thu Thủy Trang Trâm Tuyết Uyên Vân "
           "Vy Yến Hậu Lệ Liên Nhàn Thơ Thùy Xuân Hoài Khuê Ngà Thư Tiên Trinh Hiên").split()


def weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def zipf(rng: random.Random, names: list[str]) -> str:
    # A few given names are much more common than the rest.
    return rng.choices(names, weights=[1 / (i + 1) ** 0.8 for i in range(len(names))])[0]


def make_name(rng: random.Random, surname: str, sex: str) -> str:
    middle = weighted(rng, MIDDLE_M if sex == "M" else MIDDLE_F)
    given = zipf(rng, GIVEN_M if sex == "M" else GIVEN_F)
    return f"{surname} {middle} {given}"



def generate(n: int, communes: int, dup_share: float, seed: int) -> tuple[list[Person], set[frozenset[int]]]:
    rng = random.Random(seed)
    people: list[Person] = []
    truth: set[frozenset[int]] = set()
    household_id = 0
    start = dt.date(2008, 7, 1).toordinal()
    span = dt.date(2021, 6, 30).toordinal() - start
    while len(people) < n:
        household_id += 1
        commune = rng.randrange(communes)
        village = commune * 10 + rng.randrange(6)
        surname = weighted(rng, SURNAMES)
        given_in_house: set[str] = set()
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            sex = rng.choice("MF")
            name = make_name(rng, surname, sex)
            while name.split()[-1] in given_in_house:  # parents do not give two children one name
                name = make_name(rng, surname, sex)
            given_in_house.add(name.split()[-1])
            key = len(people)
            people.append(Person(
                key=key, name_folded=fold(name), dob=dt.date.fromordinal(start + rng.randrange(span)),
                commune_id=commune, village_id=village, household_id=household_id,
            ))
            original_names[key] = people[-1].name_folded
    originals = list(people)
    for original in rng.sample(originals, int(len(originals) * dup_share)):
        name = original_names[original.key]
        dob = original.dob
        mistakes = rng.sample(["typo", "swap", "near", "order", "none"], k=rng.choice([1, 1, 2]))
        if "typo" in mistakes:
            name = typo(rng, name)
        if "swap" in mistakes and dob.day <= 12 and dob.day != dob.month:
            dob = dt.date(dob.year, dob.day, dob.month)
        if "near" in mistakes:
            dob = dob + dt.timedelta(days=rng.choice([-3, -2, -1, 1, 2, 3]))
        if "order" in mistakes:
            tokens = name.split()
            name = " ".join(tokens[-1:] + tokens[:-1])
        key = len(people)
        people.append(Person(
            key=key, name_folded=fold(name), dob=dob, commune_id=original.commune_id,
            village_id=original.village_id if rng.random() < 0.7 else None,
            household_id=original.household_id if rng.random() < 0.5 else None,
        ))
        truth.add(frozenset((original.key, key)))
    return people, truth


original_names: dict[int, str] = {}


def run(label: str, n: int, communes: int, dup_share: float, seed: int) -> None:
    original_names.clear()
    people, truth = generate(n, communes, dup_share, seed)
    started = time.perf_counter()
    pairs = pairs_among(people)
    seconds = time.perf_counter() - started
    found = {frozenset((a.key, b.key)) for a, b, _c in pairs}
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    print(f"{label}: {len(people):,} records ({len(truth):,} injected duplicates) in {communes} communes")
    print(f"  {seconds:.2f} s   precision {precision:.3f}   recall {recall:.3f}   "
          f"({len(found):,} pairs reported, {hits:,} right)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="children at district scale")
    parser.add_argument("--province", action="store_true", help="also run at province scale (60,000)")
    parser.add_argument("--dup-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    run("District", args.n, 8, args.dup_share, args.seed)
    if args.province:
        run("Province", 60_000, 166, args.dup_share, args.seed + 1)


if __name__ == "__main__":
    main()
