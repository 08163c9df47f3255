"""The catalogues: counts, cross-list membership, wording from the law, diacritic-free search."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from clms.rules import Category, Situation, catalogue, fold

LAW = Path(__file__).resolve().parents[3] / "shared" / "law" / "thong-tu-09-2020-TT-BLDTBXH.txt"


def codes(prefix: str) -> list[str]:
    return [e.code for e in catalogue.jobs() + catalogue.workplaces() if e.code.startswith(prefix)]


@pytest.mark.parametrize(
    ("prefix", "count"),
    [("TT09.II.", 12), ("TT09.III.", 69), ("TT09.IV.", 6), ("TT09.V.OT.", 21), ("TT09.V.NIGHT.", 2),
     ("LC147.1.", 8), ("LC147.2.", 5)],
)
def test_it_has_every_item_of_each_list(prefix: str, count: int) -> None:
    found = codes(prefix)
    assert len(found) == count == len(set(found))


def test_it_has_the_codes_of_spec_section_8() -> None:
    assert {e.code for e in catalogue.hazards()} == {
        "HEAVY_LOADS", "DANGEROUS_TOOLS", "DUST_FUMES_GAS", "EXTREME_TEMPERATURE",
        "NOISE_VIBRATION", "HEIGHTS", "CHEMICALS", "OTHER_UNSAFE",
    }
    assert {e.code for e in catalogue.worst_forms()} == {
        "TRAFFICKING", "FORCED_OR_BONDED", "SEXUAL_EXPLOITATION", "ILLICIT_ACTIVITY", "ARMED_CONFLICT",
    }
    assert {e.code for e in catalogue.activities()} == {
        "EMPLOYED", "FAMILY_BUSINESS", "FAMILY_FARM", "HOUSEHOLD_CHORES", "NONE",
    }
    assert catalogue.get("ART_PERF").alias_of == "TT09.II.01"
    assert catalogue.get("SPORT_PHYS").alias_of == "TT09.II.02"
    assert catalogue.get("OTHER").kind == "other"
    assert codes("LC147.1.")[-1] == "LC147.1.h" and "LC147.2.dd" in codes("LC147.2.")


def test_it_puts_one_job_on_several_lists() -> None:
    arts = {"TT09.II", "TT09.V.OT", "TT09.V.NIGHT"}
    for code in ("TT09.II.01", "TT09.V.OT.01", "TT09.V.NIGHT.01", "ART_PERF"):
        assert catalogue.lists_of(code) == arts
    assert catalogue.lists_of("TT09.II.03") == {"TT09.II", "TT09.V.OT"}
    # Appendix V part I item 5 lacks three crafts of Appendix II item 4, and item 4 excludes
    # toxic stages that part I item 5 does not: neither stands wholly on the other's list.
    assert catalogue.lists_of("TT09.II.04") == {"TT09.II"}
    assert catalogue.lists_of("TT09.V.OT.05") == {"TT09.V.OT"}
    assert catalogue.lists_of("TT09.V.OT.16") == {"TT09.V.OT"}
    assert "LC147.1" in catalogue.lists_of("TT09.III.68")


def test_it_keeps_same_as_links_consistent() -> None:
    for entry in catalogue.jobs():
        for other in entry.same_as:
            assert catalogue.lists_of(other) == entry.lists, (entry.code, other)


def test_it_carries_the_special_items_35_and_68() -> None:
    assert catalogue.get("TT09.III.35").banned_below_age == 16
    table = catalogue.load_table("TT09.III.68")
    assert [(b.from_months, b.to_months) for b in table.bands] == [(180, 192), (192, 216)]
    assert table.bands[0].occasional == {"M": 15, "F": 12}
    assert table.bands[1].regular == {"M": 20, "F": 15}


def test_it_gives_each_catalogue_a_legal_source_and_dates() -> None:
    for cat in catalogue.catalogues():
        assert cat.legal_source and cat.valid_from
        assert cat.entries
        for entry in cat.entries:
            assert entry.name and entry.source


def test_it_takes_the_wording_from_the_circular() -> None:
    if not LAW.exists():
        pytest.skip("shared/law is not next to the repository")
    text = fold(LAW.read_text(encoding="utf-8").replace("sửdụng", "sử dụng"))
    squeezed = re.sub(r"[^0-9a-z]", "", text)
    for entry in catalogue.jobs() + catalogue.workplaces():
        if entry.code.startswith("TT09."):
            assert re.sub(r"[^0-9a-z]", "", fold(entry.name)) in squeezed, entry.code
    assert catalogue.get("TT09.II.04").name.startswith("Các nghề truyền thống: chấm men gốm")


def test_it_fixes_pdf_artefacts() -> None:
    for entry in catalogue.jobs() + catalogue.workplaces():
        assert "sửdụng" not in entry.name
        assert not re.search(r"[a-zà-ỹ]\(", entry.name), entry.name


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Làm NÓN lá", "lam non la"), ("Đông Hồ", "dong ho"), ("  thủy   sản ", "thuy san"), ("đ", "d")],
)
def test_it_folds_vietnamese(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_it_searches_without_diacritics() -> None:
    assert catalogue.search("non la")[0].code == "TT09.II.04"
    assert "TT09.II.04" in [e.code for e in catalogue.search("LÀM NÓN LÁ")]
    assert [e.code for e in catalogue.search("karaoke")] == ["LC147.2.d"]
    assert [e.code for e in catalogue.search("benzen")] == ["TT09.III.57"]
    assert catalogue.search("dong ho", kind="job")[0].code == "TT09.II.05"
    assert [e.code for e in catalogue.search("tt09.iii.35")] == ["TT09.III.35"]
    assert all(e.kind == "workplace" for e in catalogue.search("lam viec", kind="workplace"))
    assert len(catalogue.search("a", limit=3)) <= 3
    assert catalogue.search("") == []


def test_it_names_the_situation_fields_of_spec_section_8() -> None:
    assert [f.name for f in fields(Situation)] == [
        "dob", "as_of", "activity", "worst_forms", "job_code", "job_is_appendix_iii",
        "workplace_code", "hours_day_max", "hours_week", "night_work", "overtime",
        "job_on_app_v_overtime", "job_on_app_v_night", "sex", "load_kg", "load_regular",
        "contract_written_child_and_rep", "parent_consent", "health_cert", "last_health_check",
        "affects_study_time", "osh_age_appropriate", "separate_register", "provincial_consent",
        "harms_study_health_safety", "chores_hours_week", "hazards",
    ]
    assert [c.value for c in Category] == [
        "NOT_CHILD_LABOUR", "PERMITTED_WITH_CONDITIONS", "CHILD_LABOUR",
        "HAZARDOUS_CHILD_LABOUR", "OUT_OF_SCOPE",
    ]
    assert isinstance(Category.CHILD_LABOUR, str) and Category.CHILD_LABOUR == "CHILD_LABOUR"


def test_it_rejects_unknown_codes_and_impossible_values() -> None:
    from datetime import date

    day = date(2024, 6, 1)
    with pytest.raises(ValueError):
        Situation(dob=date(2010, 1, 1), as_of=day, job_code="TT09.II.13")
    with pytest.raises(ValueError):
        Situation(dob=date(2010, 1, 1), as_of=day, hazards=frozenset({"FIRE"}))
    with pytest.raises(ValueError):
        Situation(dob=date(2025, 1, 1), as_of=day)
    with pytest.raises(ValueError):
        Situation(dob=date(2010, 1, 1), as_of=day, hours_day_max=25)


def test_it_does_not_import_django() -> None:
    code = "import sys, clms.rules; sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
