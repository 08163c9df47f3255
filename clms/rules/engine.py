"""``classify`` and ``compare``: the entry points other code calls."""

from __future__ import annotations

from dataclasses import dataclass

from .decision import Decision
from .model import Category, Situation
from .rulesets import VERSIONS, compiled_for
from .statistical import classify_statistical
from .vn_law import classify_vn_law

__all__ = ["Comparison", "classify", "compare"]


def classify(
    situation: Situation,
    ruleset: str = "vn-law",
    *,
    STRICT_UNDER15_CONDITIONS: bool = True,  # noqa: N803 - the spelling of spec §8
    FAMILY_WORK_OUTSIDE_EMPLOYER_RULES: bool = True,  # noqa: N803
    strict_under15_conditions: bool | None = None,
    family_work_outside_employer_rules: bool | None = None,
) -> Decision:
    """Classify one situation under ``ruleset`` ("vn-law", "mics6", "sdg2021" or a versioned id).

    The policy settings of spec §7 points 1 and 2 are keyword arguments, in the spec's upper
    case or in lower case (the lower-case one wins when both are given). They only affect
    "vn-law".

    Raises ``RulesetNotAvailable`` when no version of a legal ruleset covers
    ``situation.as_of`` (before 15 March 2021 for "vn-law": the Circular 09/2020 lists were
    not yet in force and the older lists are not encoded).
    """
    versions = VERSIONS.get(ruleset)
    as_of = situation.as_of
    # One version in force on the date is the common case; anything else takes the slow path.
    if versions is not None and len(versions) == 1:
        rs = versions[0]
        info = rs.info
        if info.binding and (
            as_of < info.effective_from or (info.effective_to is not None and as_of > info.effective_to)
        ):
            rs = compiled_for(ruleset, as_of)
    else:
        rs = compiled_for(ruleset, as_of)
    if rs.info.engine == "vn-law":
        strict = STRICT_UNDER15_CONDITIONS if strict_under15_conditions is None else strict_under15_conditions
        family = (
            FAMILY_WORK_OUTSIDE_EMPLOYER_RULES
            if family_work_outside_employer_rules is None
            else family_work_outside_employer_rules
        )
        return classify_vn_law(situation, rs, strict, family)
    return classify_statistical(situation, rs)


@dataclass(frozen=True)
class Comparison:
    """The legal and the statistical decision side by side (spec §3.5), with a Vietnamese note."""

    law: Decision
    statistical: Decision
    note: str

    @property
    def same_category(self) -> bool:
        return self.law.category is self.statistical.category


def compare(
    situation: Situation,
    statistical: str = "mics6",
    *,
    STRICT_UNDER15_CONDITIONS: bool = True,  # noqa: N803
    FAMILY_WORK_OUTSIDE_EMPLOYER_RULES: bool = True,  # noqa: N803
) -> Comparison:
    law = classify(
        situation,
        "vn-law",
        STRICT_UNDER15_CONDITIONS=STRICT_UNDER15_CONDITIONS,
        FAMILY_WORK_OUTSIDE_EMPLOYER_RULES=FAMILY_WORK_OUTSIDE_EMPLOYER_RULES,
    )
    stat = classify(situation, statistical)
    return Comparison(law=law, statistical=stat, note=_note(law, stat))


_LAW_COUNTS = frozenset({Category.CHILD_LABOUR, Category.HAZARDOUS_CHILD_LABOUR})


def _note(law: Decision, stat: Decision) -> str:
    stat_name = VERSIONS[stat.ruleset_id][0].info.name
    if law.category is stat.category:
        return f"Pháp luật Việt Nam và {stat_name} cho cùng kết quả: {law.category.label}."
    head = (
        f"Theo pháp luật Việt Nam: {law.category.label} (quy tắc {', '.join(law.rule_ids)}). "
        f"Theo {stat_name}: {stat.category.label} (quy tắc {', '.join(stat.rule_ids)})."
    )
    reasons: list[str] = []
    law_rules = set(law.rule_ids)
    stat_rules = set(stat.rule_ids)
    if Category.OUT_OF_SCOPE in (law.category, stat.category):
        reasons.append(
            "Pháp luật lao động chỉ xét người chưa đủ 18 tuổi, còn chỉ tiêu thống kê chỉ xét trẻ từ 5 đến 17 tuổi."
        )
    if law_rules & {"V5", "V6", "V7", "V9"} and stat.category not in _LAW_COUNTS:
        reasons.append(
            "Pháp luật dùng các mốc 13, 15, 18 tuổi, danh mục công việc cụ thể và giới hạn giờ theo ngày "
            "(4 giờ, 8 giờ) và theo tuần (20 giờ, 40 giờ); thống kê dùng nhóm tuổi 5–11, 12–14, 15–17 và "
            "ngưỡng tổng giờ trong tuần (1, 14, 43 giờ)."
        )
    if "V8" in law_rules or (law.violation_codes and stat.category not in _LAW_COUNTS):
        reasons.append(
            "Pháp luật tính cả việc không bảo đảm điều kiện và thủ tục (hợp đồng, khám sức khỏe, sự đồng ý, "
            "sổ theo dõi); thống kê không xét các điều kiện này."
        )
    if "V4" in law_rules or "V1" in law_rules:
        reasons.append(
            "Theo cách đọc của CLMS, việc nhà, việc đồng áng của gia đình không gây hại thì không áp dụng "
            "quy định về sử dụng lao động; thống kê vẫn tính theo số giờ làm."
        )
    if "S4" in stat_rules:
        reasons.append("Thống kê tính việc nhà không được trả công từ ngưỡng giờ trở lên là lao động trẻ em.")
    if "S2" in stat_rules and "V3" not in law_rules:
        reasons.append(
            "Thống kê tính các điều kiện làm việc nguy hại do trẻ hoặc gia đình khai (MICS) và làm từ 43 giờ/tuần; "
            "pháp luật chỉ tính công việc, nơi làm việc trong danh mục cấm."
        )
    if "V3" in law_rules and stat.category is not Category.HAZARDOUS_CHILD_LABOUR:
        reasons.append("Pháp luật cấm công việc hoặc nơi làm việc này với mọi người chưa thành niên.")
    if law.category is Category.PERMITTED_WITH_CONDITIONS and stat.category in _LAW_COUNTS:
        reasons.append(
            "Pháp luật cho phép công việc này nếu bảo đảm điều kiện, còn thống kê tính theo số giờ làm "
            "hoặc điều kiện làm việc."
        )
    if not reasons:
        reasons.append("Hai bảng quyết định dùng tiêu chí khác nhau về tuổi, giờ làm và danh mục công việc.")
    return head + " Lý do khác nhau: " + " ".join(reasons)
